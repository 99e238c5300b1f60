package io.tidemark.control.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.concurrent.Callable;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseException;
import io.tidemark.common.license.LicenseToken;
import io.tidemark.common.license.LicenseVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark license inspect}: prints what a license key claims and whether it verifies,
 * with the same checks, in the same words, as the sink.
 */
@Command(name = "inspect",
        description = {"Print a license key's claims and whether it verifies.",
                "Checks the signature against the vendor's public keys built in (as the sink does) or against "
                        + "--public-key, the validity at --now, and the project and types when given. Exits 0 only "
                        + "when the key verifies, 1 when it does not."})
final class LicenseInspectCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The license key, or - to read it from standard input.")
    String key;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "Verify with this PEM (or base64) public key (" + LicenseKeygenCommand.PUBLIC_FILE + ") "
                    + "instead of the vendor's keys built in: for the vendor, to check a new key pair.")
    Path publicKeyFile;

    @Option(names = "--project", paramLabel = "PROJECT", description = "Also check that the key is for this project.")
    String project;

    @Option(names = "--source-type", paramLabel = "TYPE", description = "Also check the source type.")
    String sourceType;

    @Option(names = "--target-type", paramLabel = "TYPE", description = "Also check the target type.")
    String targetType;

    @Option(names = "--now", paramLabel = "DATE|INSTANT", converter = TimeArguments.StartOfDay.class,
            description = "Check validity at this time instead of now: YYYY-MM-DD (start of that day, UTC) or an instant.")
    Instant now;

    InputStream stdin = System.in; // replaced by tests
    Supplier<LicenseVerifier> builtIn = LicenseVerifier::builtIn; // replaced by tests

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LicenseVerifier given = publicKeyFile == null ? null : readVerifier();
        String token = "-".equals(key) ? readStdin() : key;
        try {
            // Show the claims before judging them: "expired" or "another project" means more
            // with the claims in view, and a forged key's claims are what someone tried to pass.
            ClaimsText.print(out, LicenseToken.parse(token).unverifiedClaims());
            LicenseVerifier verifier = given != null ? given : builtIn.get();
            ClaimsText.line(out, "public key", String.join(", ", verifier.fingerprints()) + (given != null ? "" : " (built in)"));
            LicenseClaims claims = verifier.verify(token);
            if (project != null) {
                claims.requireProject(project);
            }
            if (sourceType != null) {
                claims.requireSourceType(sourceType);
            }
            if (targetType != null) {
                claims.requireTargetType(targetType);
            }
            claims.requireValidAt(now != null ? now : Instant.now());
            ClaimsText.line(out, "verifies", "yes");
            return TidemarkCli.OK;
        } catch (LicenseException e) {
            ClaimsText.line(out, "verifies", "no (" + e.reason() + ": " + e.getMessage() + ")");
            return TidemarkCli.REFUSED;
        }
    }

    private LicenseVerifier readVerifier() {
        try {
            return LicenseVerifier.forPublicKey(Files.readString(publicKeyFile));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read --public-key " + publicKeyFile + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (LicenseException e) {
            throw new ParameterException(spec.commandLine(), "--public-key " + publicKeyFile + ": " + e.getMessage());
        }
    }

    private String readStdin() {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
