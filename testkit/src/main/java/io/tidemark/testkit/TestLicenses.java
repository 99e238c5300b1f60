package io.tidemark.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseIssuer;
import io.tidemark.common.license.LicenseKeys;
import io.tidemark.common.license.VendorKeys;

/**
 * A test vendor, and license keys signed by it. The sink trusts only the vendor keys in
 * connector-common's own jar, so this one is added where tests run: in code for the classes on
 * the test class path (when this class is first used), and to the plugins' connector-common jar
 * of an embedded Connect worker ({@link ConnectTestCluster}). Nothing on a class path adds it.
 */
public final class TestLicenses {

    /** The test vendor key's fingerprint, as refusals and {@code inspect} name it. */
    public static final String VENDOR_FINGERPRINT = "sha256:0f6606575ee6e6eb";

    /** The test vendor's public key as PEM, with a line naming it. */
    static final String PUBLIC_PEM = resource("test-vendor-public.pem");
    private static final PrivateKey VENDOR = LicenseKeys.parsePrivateKey(resource("test-vendor-private.pem"));

    static {
        VendorKeys.trustInThisJvmForTests(LicenseKeys.parsePublicKeys(PUBLIC_PEM).get(0));
    }
    private static int counter;

    private TestLicenses() {
    }

    /** A key for the project that lasts a year and allows a terabyte. */
    public static String generous(String project) {
        return issue(project, 1L << 40, Instant.now().plus(Duration.ofDays(365)));
    }

    public static String issue(String project, long maxBytes, Instant expires) {
        return issue(project, "oracle", maxBytes, Instant.now().minus(Duration.ofMinutes(1)), expires);
    }

    public static synchronized String issue(String project, String sourceType, long maxBytes, Instant issued, Instant expires) {
        LicenseClaims claims = new LicenseClaims("test-" + (++counter), project, sourceType, LicenseClaims.POSTGRESQL,
                issued.truncatedTo(ChronoUnit.SECONDS), expires.truncatedTo(ChronoUnit.SECONDS), maxBytes);
        return new LicenseIssuer(VENDOR).issue(claims);
    }

    /**
     * A generous key signed with a fresh key pair, as {@code bin/tidemark license keygen} makes
     * one: whoever holds such a pair must not be able to license a sink, whatever its config says.
     */
    public static String signedByAnotherVendor(String project) {
        LicenseClaims claims = new LicenseClaims("forger", project, "oracle", LicenseClaims.POSTGRESQL,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(1)), 1L << 40);
        return new LicenseIssuer(LicenseKeys.generate().getPrivate()).issue(claims);
    }

    private static String resource(String name) {
        try (InputStream in = TestLicenses.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("testkit resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
