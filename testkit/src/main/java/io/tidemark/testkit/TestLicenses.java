package io.tidemark.testkit;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseIssuer;
import io.tidemark.common.license.LicenseKeys;

/** A test vendor: one Ed25519 key pair per test run, and license keys signed with it. */
public final class TestLicenses {

    private static final KeyPair VENDOR = LicenseKeys.generate();
    private static int counter;

    private TestLicenses() {
    }

    /** The vendor's public key as a sink's license.public.key takes it. */
    public static String publicKeyPem() {
        return LicenseKeys.toPem(VENDOR.getPublic());
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
        return new LicenseIssuer(VENDOR.getPrivate()).issue(claims);
    }

    /** A key signed by some other vendor: it must not verify. */
    public static String signedByAnotherVendor(String project) {
        LicenseClaims claims = new LicenseClaims("forger", project, "oracle", LicenseClaims.POSTGRESQL,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(1)), 1L << 40);
        return new LicenseIssuer(LicenseKeys.generate().getPrivate()).issue(claims);
    }
}
