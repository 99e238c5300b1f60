package io.tidemark.common.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidemark.common.license.LicenseException.Reason;

/** The trust anchors: what connector-common's own jar carries, and only that. */
class VendorKeysTest {

    /** The production vendor key connector-common ships (docs/license.md names it). */
    static final String PRODUCTION_FINGERPRINT = "sha256:989b01e5cbfebea3";

    private static final KeyPair OLD_VENDOR = LicenseKeys.generate();
    private static final KeyPair NEW_VENDOR = LicenseKeys.generate();
    private static final KeyPair FORGER = LicenseKeys.generate();

    @TempDir
    Path dir;

    @Test
    void thePluginCarriesTheProductionVendorKeyInItsOwnJar() {
        assertThat(LicenseVerifier.builtIn().fingerprints()).contains(PRODUCTION_FINGERPRINT);
        assertThat(LicenseVerifier.builtIn(VendorKeys.class.getProtectionDomain().getCodeSource().getLocation())
                .fingerprints()).containsExactly(PRODUCTION_FINGERPRINT);
    }

    @Test
    void everyKeyOfTheFileIsTrustedAndNothingElse() throws Exception {
        // A jar as the plugin ships it, the old key and the new one in its file (a key rotation).
        Path plugin = dir.resolve("connector-common.jar");
        try (OutputStream out = Files.newOutputStream(plugin); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry(VendorKeys.RESOURCE));
            jar.write(("old key\n" + LicenseKeys.toPem(OLD_VENDOR.getPublic()) + "new key, 2027\n"
                    + LicenseKeys.toPem(NEW_VENDOR.getPublic())).getBytes(StandardCharsets.US_ASCII));
        }
        LicenseVerifier verifier = LicenseVerifier.builtIn(plugin.toUri().toURL());

        assertThat(verifier.fingerprints()).containsExactly(LicenseKeys.fingerprint(OLD_VENDOR.getPublic()),
                LicenseKeys.fingerprint(NEW_VENDOR.getPublic()));
        LicenseClaims claims = LicenseClaimsTest.claims();
        assertThat(verifier.verify(new LicenseIssuer(OLD_VENDOR.getPrivate()).issue(claims))).isEqualTo(claims);
        assertThat(verifier.verify(new LicenseIssuer(NEW_VENDOR.getPrivate()).issue(claims))).isEqualTo(claims);

        String forged = new LicenseIssuer(FORGER.getPrivate()).issue(claims);
        assertThatThrownBy(() -> verifier.check(forged, "acme-prod", "oracle", "postgresql", Instant.parse("2026-06-01T00:00:00Z")))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
                .hasMessage("the license key's signature does not verify with any of the vendor's public keys built "
                        + "into Tidemark (" + String.join(", ", verifier.fingerprints()) + "); its key_id is 'k-1': "
                        + "the key was changed after it was issued, or it was not issued by the Tidemark vendor (a key "
                        + "signed with a pair made by bin/tidemark license keygen verifies only with that pair's public "
                        + "key, and the sink reads no public key from its configuration)");
    }

    @Test
    void noVendorKeyFileMeansNoKeyCanBeTrusted() throws Exception {
        URL empty = dir.toUri().toURL();
        assertThatThrownBy(() -> LicenseVerifier.builtIn(empty))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PUBLIC_KEY))
                .hasMessageStartingWith("no vendor public key is built into this plugin (" + empty + " has no "
                        + VendorKeys.RESOURCE + ")");
    }

    @Test
    void aBrokenVendorKeyFileIsNamed() throws Exception {
        Path broken = vendorFile("broken", LicenseKeys.toPem(OLD_VENDOR.getPublic()) + LicenseKeys.toPem(OLD_VENDOR.getPrivate()));
        URL location = broken.toUri().toURL();
        assertThatThrownBy(() -> LicenseVerifier.builtIn(location))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PUBLIC_KEY))
                .hasMessageStartingWith("the vendor key file " + VendorKeys.RESOURCE + " in " + location
                        + " is unusable: the license public key is unusable: PEM block 2: it is a private key");
    }

    private Path vendorFile(String entry, String content) throws Exception {
        Path file = dir.resolve(entry).resolve(VendorKeys.RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return dir.resolve(entry);
    }
}
