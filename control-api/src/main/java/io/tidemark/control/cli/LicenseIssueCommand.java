package io.tidemark.control.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseIssuer;
import io.tidemark.common.license.LicenseKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tidemark license issue}: signs a license key; the key is the last line printed. */
@Command(name = "issue",
        description = {"Issue a license key, signed with the private key from 'license keygen'.",
                "Prints the claims, then the key itself as the last line (scripts: tail -n 1)."})
final class LicenseIssueCommand implements Callable<Integer> {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--private-key", required = true, paramLabel = "FILE",
            description = "The PEM private key (" + LicenseKeygenCommand.PRIVATE_FILE + ").")
    Path privateKeyFile;

    @Option(names = "--project", required = true, paramLabel = "PROJECT",
            description = "The Tidemark project the key is for; the sink compares it exactly.")
    String project;

    @Option(names = "--max-bytes", required = true, paramLabel = "SIZE", converter = DataSize.Converter.class,
            description = "Licensed data volume: bytes (500000000000) or with a unit: KB MB GB TB PB are powers "
                    + "of 1000, KiB MiB GiB TiB PiB powers of 1024 (500GB, 2TiB, 1.5TB).")
    long maxBytes;

    @Option(names = "--expires", required = true, paramLabel = "DATE|INSTANT", converter = TimeArguments.EndOfDay.class,
            description = "Last day of validity, YYYY-MM-DD: the key works through the end of that day (UTC). "
                    + "Or the instant it stops working, e.g. 2027-01-01T00:00:00Z.")
    Instant expires;

    @Option(names = "--issued", paramLabel = "DATE|INSTANT", converter = TimeArguments.StartOfDay.class,
            description = "When the key starts to work: YYYY-MM-DD (start of that day, UTC) or an instant. "
                    + "Default: now.")
    Instant issued;

    @Option(names = "--source-type", defaultValue = LicenseClaims.ORACLE, paramLabel = "TYPE",
            description = "Kind of source database. Default: ${DEFAULT-VALUE}.")
    String sourceType;

    @Option(names = "--target-type", defaultValue = LicenseClaims.POSTGRESQL, paramLabel = "TYPE",
            description = "Kind of target database. Default: ${DEFAULT-VALUE}.")
    String targetType;

    @Option(names = "--key-id", paramLabel = "ID",
            description = "Identifies this license key, e.g. in usage records. Default: 12 random hex digits.")
    String keyId;

    @Override
    public Integer call() {
        LicenseIssuer issuer = new LicenseIssuer(readPrivateKey());
        LicenseClaims claims;
        try {
            claims = new LicenseClaims(keyId != null ? keyId : randomKeyId(), project, sourceType, targetType,
                    issued != null ? issued : Instant.now(), expires, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "cannot issue this key: " + e.getMessage());
        }
        String key = issuer.issue(claims);

        PrintWriter out = spec.commandLine().getOut();
        ClaimsText.print(out, claims);
        out.println(key);
        return TidemarkCli.OK;
    }

    private PrivateKey readPrivateKey() {
        String text;
        try {
            text = Files.readString(privateKeyFile);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read --private-key " + privateKeyFile + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        try {
            return LicenseKeys.parsePrivateKey(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--private-key " + privateKeyFile + ": " + e.getMessage());
        }
    }

    private static String randomKeyId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
