package io.tidemark.control.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

import picocli.CommandLine;

import io.tidemark.common.license.LicenseVerifier;

/** One run of the CLI as a user would type it, with what it printed and its exit code. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return withStdin("", args);
    }

    static CliRun withStdin(String stdin, String... args) {
        return run(stdin, null, args);
    }

    /** A run whose inspect trusts the vendor keys of this jar or directory, instead of those built in. */
    static CliRun withVendorKeys(URL location, String... args) {
        return run("", location, args);
    }

    private static CliRun run(String stdin, URL vendorKeys, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TidemarkCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        LicenseInspectCommand inspect = cli.getSubcommands().get("license").getSubcommands().get("inspect").getCommand();
        inspect.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        if (vendorKeys != null) {
            inspect.builtIn = () -> LicenseVerifier.builtIn(vendorKeys);
        }
        int exitCode = cli.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    String lastLine() {
        List<String> lines = out.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
