package io.tidemark.control.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import io.tidemark.common.license.LicenseKeys;
import io.tidemark.common.license.VendorKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tidemark license keygen --out DIR}: the Ed25519 pair that issues and checks license keys. */
@Command(name = "keygen",
        description = {"Generate the Ed25519 key pair that issues and checks license keys.",
                "DIR/" + LicenseKeygenCommand.PRIVATE_FILE + " issues them: keep it secret. DIR/"
                        + LicenseKeygenCommand.PUBLIC_FILE + " checks them: the sink trusts it only once it ships in "
                        + "the plugin's " + VendorKeys.RESOURCE + " (the vendor's release)."})
final class LicenseKeygenCommand implements Callable<Integer> {

    static final String PRIVATE_FILE = "license-private.pem";
    static final String PUBLIC_FILE = "license-public.pem";

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write the two PEM files into; created if missing.")
    Path out;

    @Option(names = "--force", description = "Replace existing key files. License keys issued with the old "
            + "private key then no longer verify with the new public key.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Path privateFile = out.resolve(PRIVATE_FILE);
        Path publicFile = out.resolve(PUBLIC_FILE);
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file) && !force) {
                throw new ParameterException(spec.commandLine(), file + " already exists; pass --force to replace it "
                        + "(license keys issued with the old private key would no longer verify)");
            }
        }
        Files.createDirectories(out);
        KeyPair pair = LicenseKeys.generate();
        writeOwnerOnly(privateFile, LicenseKeys.toPem(pair.getPrivate()));
        Files.deleteIfExists(publicFile);
        Files.writeString(publicFile, LicenseKeys.toPem(pair.getPublic()));

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("wrote " + privateFile + " (private: issues license keys; keep it secret)");
        stdout.println("wrote " + publicFile + " (public: checks license keys once it ships in the plugin's "
                + VendorKeys.RESOURCE + "; until then only inspect --public-key uses it)");
        stdout.println("public key fingerprint: " + LicenseKeys.fingerprint(pair.getPublic()));
        return TidemarkCli.OK;
    }

    // Created with its permissions rather than chmod-ed after writing: the private key is never
    // readable by others, not even for a moment.
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content);
    }
}
