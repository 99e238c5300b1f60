package io.tidemark.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseKeys;
import io.tidemark.common.license.LicenseVerifier;

class LicenseCommandTest {

    /** The production vendor key that connector-common ships. */
    private static final String PRODUCTION_VENDOR_KEY = "sha256:989b01e5cbfebea3";

    @TempDir
    Path dir;

    private Path privateKey;
    private Path publicKey;

    @BeforeEach
    void keygen() {
        CliRun run = CliRun.of("license", "keygen", "--out", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        privateKey = dir.resolve("license-private.pem");
        publicKey = dir.resolve("license-public.pem");
    }

    @Test
    void keygenWritesBothPemFilesAndTheFingerprint() throws Exception {
        var pub = LicenseKeys.parsePublicKey(Files.readString(publicKey));
        LicenseKeys.parsePrivateKey(Files.readString(privateKey));
        assertThat(Files.readString(privateKey)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(publicKey)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");

        CliRun again = CliRun.of("license", "keygen", "--out", dir.resolve("more").toString());
        assertThat(again.out()).contains("wrote " + dir.resolve("more/license-private.pem"))
                .contains("wrote " + dir.resolve("more/license-public.pem"))
                .containsPattern("public key fingerprint: sha256:[0-9a-f]{16}");
        assertThat(again.lastLine()).isEqualTo("public key fingerprint: "
                + LicenseKeys.fingerprint(LicenseKeys.parsePublicKey(Files.readString(dir.resolve("more/license-public.pem")))));
        assertThat(LicenseKeys.fingerprint(pub)).isNotEqualTo(again.lastLine().substring("public key fingerprint: ".length()));
    }

    @Test
    void keygenDoesNotReplaceAKeyPairUnlessForced() throws Exception {
        String before = Files.readString(publicKey);
        CliRun refused = CliRun.of("license", "keygen", "--out", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(refused.err()).contains("error: " + privateKey + " already exists; pass --force to replace it");
        assertThat(Files.readString(publicKey)).isEqualTo(before);

        assertThat(CliRun.of("license", "keygen", "--out", dir.toString(), "--force").exitCode()).isZero();
        assertThat(Files.readString(publicKey)).isNotEqualTo(before);
    }

    @Test
    void keygenIntoAPlaceThatIsNoDirectoryFails() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun run = CliRun.of("license", "keygen", "--out", file.toString());
        assertThat(run.exitCode()).isEqualTo(TidemarkCli.FAILED);
        assertThat(run.err()).startsWith("error: FileAlreadyExistsException: " + file);
    }

    @Test
    void issuedKeyIsTheLastLineAndVerifiesWithInspect() {
        CliRun issued = issue("--max-bytes", "500GB", "--expires", "2026-12-31", "--issued", "2026-01-15T10:00:00Z",
                "--key-id", "acme-2026-1");
        assertThat(issued.exitCode()).as(issued.err()).isZero();
        assertThat(issued.out()).isEqualTo("""
                key_id:      acme-2026-1
                project:     acme-prod
                source_type: oracle
                target_type: postgresql
                issued:      2026-01-15T10:00:00Z
                expires:     2027-01-01T00:00:00Z
                max_bytes:   500000000000 (500 GB)
                """ + issued.lastLine() + "\n");
        String key = issued.lastLine();
        assertThat(key).startsWith("tmk1.");

        CliRun inspected = CliRun.of("license", "inspect", "--public-key", publicKey.toString(),
                "--project", "acme-prod", "--source-type", "oracle", "--target-type", "postgresql",
                "--now", "2026-12-31T23:59:59Z", key);
        assertThat(inspected.exitCode()).as(inspected.out()).isZero();
        assertThat(inspected.out()).startsWith(issued.out().replace(key + "\n", ""))
                .endsWith("verifies:    yes\n");
    }

    @Test
    void issueDefaultsTypesKeyIdAndIssued() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String key = issue("--max-bytes", "1", "--expires", "2099-01-01").lastLine();
        LicenseClaims claims = LicenseVerifier.forPublicKey(Files.readString(publicKey)).verify(key);
        assertThat(claims.keyId()).matches("[0-9a-f]{12}");
        assertThat(claims.sourceType()).isEqualTo("oracle");
        assertThat(claims.targetType()).isEqualTo("postgresql");
        assertThat(claims.issued()).isBetween(before, Instant.now());
        assertThat(claims.expires()).isEqualTo("2099-01-02T00:00:00Z");
        assertThat(issue("--max-bytes", "1", "--expires", "2099-01-01").lastLine()).isNotEqualTo(key);
    }

    @Test
    void inspectOfATamperedKeyExitsOneWithTheReason() {
        String key = issue("--max-bytes", "5GB", "--expires", "2099-01-01", "--key-id", "k1").lastLine();
        String[] parts = key.split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                json.replace("5000000000", "5000000000000").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        CliRun run = inspect(forged);
        assertThat(run.exitCode()).isEqualTo(TidemarkCli.REFUSED);
        assertThat(run.out()).contains("max_bytes:   5000000000000 (5 TB)")
                .contains("verifies:    no (BAD_SIGNATURE: the license key's signature does not verify with the "
                        + "given public key (sha256:");
    }

    @Test
    void inspectSaysWhichCheckFailed() {
        String key = issue("--max-bytes", "5GB", "--expires", "2030-06-30", "--issued", "2026-01-01").lastLine();
        assertThat(inspect(key.substring(0, key.length() - 10)))
                .satisfies(run -> assertThat(run.exitCode()).isEqualTo(TidemarkCli.REFUSED))
                .satisfies(run -> assertThat(run.out()).startsWith("verifies:    no (TRUNCATED: the license key is truncated"));
        assertThat(inspect("--now", "2030-07-01T00:04:59Z", key).lastLine()).isEqualTo("verifies:    yes");
        assertThat(inspect("--now", "2030-07-01T00:05:00Z", key).lastLine())
                .isEqualTo("verifies:    no (EXPIRED: the license key expired at 2030-07-01T00:00:00Z "
                        + "(it is now 2030-07-01T00:05:00Z, and 5 minutes of clock skew are allowed): ask for a renewed key)");
        assertThat(inspect("--now", "2025-12-01", key).lastLine()).startsWith("verifies:    no (NOT_YET_VALID: ");
        assertThat(inspect("--project", "globex", key).lastLine())
                .isEqualTo("verifies:    no (WRONG_PROJECT: the license key is for project 'acme-prod', not for project 'globex')");
        assertThat(inspect("--source-type", "postgresql", key).lastLine()).startsWith("verifies:    no (WRONG_SOURCE_TYPE: ");
        assertThat(inspect("--project", "globex", key).exitCode()).isEqualTo(TidemarkCli.REFUSED);
    }

    @Test
    void inspectWithoutAPublicKeyChecksTheVendorKeysBuiltInAsTheSinkDoes() {
        // A pair from keygen issues keys that only its own public key verifies: the built-in keys refuse them.
        String key = issue("--max-bytes", "2TiB", "--expires", "2099-01-01").lastLine();
        // What the CLI's own class path holds: connector-common's jar, not the testkit's test vendor key.
        URL common = io.tidemark.common.license.VendorKeys.class.getProtectionDomain().getCodeSource().getLocation();
        CliRun run = CliRun.withVendorKeys(common, "license", "inspect", key);
        assertThat(run.exitCode()).isEqualTo(TidemarkCli.REFUSED);
        assertThat(run.out()).contains("max_bytes:   2199023255552 (2 TiB)")
                .contains("public key:  " + PRODUCTION_VENDOR_KEY + " (built in)\n")
                .contains("verifies:    no (BAD_SIGNATURE: the license key's signature does not verify with any of the "
                        + "vendor's public keys built into Tidemark (" + PRODUCTION_VENDOR_KEY);
    }

    @Test
    void inspectWithoutAPublicKeyAcceptsAKeyOfAVendorKeyInThePluginsJar() throws Exception {
        Path vendorFile = dir.resolve("classpath/META-INF/tidemark/license-vendor-keys.pem");
        Files.createDirectories(vendorFile.getParent());
        Files.copy(publicKey, vendorFile);
        String key = issue("--max-bytes", "1TB", "--expires", "2099-01-01").lastLine();
        CliRun run = CliRun.withVendorKeys(dir.resolve("classpath").toUri().toURL(), "license", "inspect", key);
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("public key:  " + LicenseKeys.fingerprint(LicenseKeys.parsePublicKey(
                Files.readString(publicKey))) + " (built in)\n").endsWith("verifies:    yes\n");
    }

    @Test
    void inspectReadsTheKeyFromStandardInput() {
        String key = issue("--max-bytes", "1TB", "--expires", "2099-01-01").lastLine();
        CliRun run = CliRun.withStdin(key + "\n", "license", "inspect", "--public-key", publicKey.toString(), "-");
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lastLine()).isEqualTo("verifies:    yes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lots   | Invalid value for option '--max-bytes': 'lots' is not a size; give a number of bytes, or a number with a unit",
            "500XB  | Invalid value for option '--max-bytes': 'XB' is not a unit",
            "-5     | Invalid value for option '--max-bytes': '-5' is not a size",
            "1.5B   | Invalid value for option '--max-bytes': '1.5B' is not a whole number of bytes",
            "0      | cannot issue this key: max_bytes must be more than zero, but is 0",
    })
    void badMaxBytesIsAUsageError(String maxBytes, String message) {
        CliRun run = issue("--max-bytes", maxBytes, "--expires", "2099-01-01");
        assertThat(run.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: " + message)
                .endsWith("Try 'tidemark license issue --help' for more information.\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-13-01  | Invalid value for option '--expires': '2026-13-01' is not a valid date: Invalid value for MonthOfYear",
            "2026-02-30  | Invalid value for option '--expires': '2026-02-30' is not a valid date: Invalid date 'FEBRUARY 30'",
            "31.12.2026  | Invalid value for option '--expires': '31.12.2026' is neither a date (YYYY-MM-DD, UTC) nor an instant",
            "2020-01-01  | cannot issue this key: expires (2020-01-02T00:00:00Z) must be after issued",
    })
    void badExpiryIsAUsageError(String expires, String message) {
        CliRun run = issue("--max-bytes", "1GB", "--expires", expires);
        assertThat(run.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(run.err()).startsWith("error: " + message);
    }

    @Test
    void badKeyFilesAreUsageErrors() {
        CliRun swapped = CliRun.of("license", "issue", "--private-key", publicKey.toString(), "--project", "p",
                "--max-bytes", "1GB", "--expires", "2099-01-01");
        assertThat(swapped.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(swapped.err()).startsWith("error: --private-key " + publicKey + ": this is a public key; issuing a "
                + "license key needs the private key (license-private.pem)");

        CliRun privateAsPublic = CliRun.of("license", "inspect", "--public-key", privateKey.toString(), "tmk1.x.y");
        assertThat(privateAsPublic.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(privateAsPublic.err()).startsWith("error: --public-key " + privateKey
                + ": the license public key is unusable: it is a private key");

        CliRun missing = CliRun.of("license", "issue", "--private-key", dir.resolve("nope.pem").toString(),
                "--project", "p", "--max-bytes", "1GB", "--expires", "2099-01-01");
        assertThat(missing.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(missing.err()).startsWith("error: cannot read --private-key " + dir.resolve("nope.pem")
                + ": NoSuchFileException");
    }

    @Test
    void missingOptionsAreNamed() {
        CliRun run = CliRun.of("license", "issue", "--private-key", privateKey.toString());
        assertThat(run.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(run.err()).startsWith("error: Missing required options: '--project=PROJECT', '--max-bytes=SIZE', "
                + "'--expires=DATE|INSTANT'");
    }

    @Test
    void helpIsEverywhereAndAMissingVerbIsAUsageError() {
        CliRun top = CliRun.of("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.out()).startsWith("Usage: tidemark [-hV] [COMMAND]").contains("license");
        CliRun license = CliRun.of("license", "--help");
        assertThat(license.out()).contains("keygen", "issue", "inspect");
        for (String verb : new String[] {"keygen", "issue", "inspect"}) {
            CliRun help = CliRun.of("license", verb, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).startsWith("Usage: tidemark license " + verb);
        }
        CliRun noVerb = CliRun.of("license");
        assertThat(noVerb.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(noVerb.err()).isEqualTo("error: Missing required subcommand\n"
                + "Try 'tidemark license --help' for more information.\n");
        CliRun typo = CliRun.of("license", "isue");
        assertThat(typo.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(typo.err()).contains("Did you mean", "issue");
    }

    private CliRun issue(String... options) {
        String[] args = new String[6 + options.length];
        System.arraycopy(new String[] {"license", "issue", "--private-key", privateKey.toString(), "--project", "acme-prod"},
                0, args, 0, 6);
        System.arraycopy(options, 0, args, 6, options.length);
        return CliRun.of(args);
    }

    private CliRun inspect(String... optionsAndKey) {
        String[] args = new String[4 + optionsAndKey.length];
        System.arraycopy(new String[] {"license", "inspect", "--public-key", publicKey.toString()}, 0, args, 0, 4);
        System.arraycopy(optionsAndKey, 0, args, 4, optionsAndKey.length);
        return CliRun.of(args);
    }

}
