package io.tidemark.control.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tidemark license}: the vendor's and operator's verbs for license keys (docs/license.md). */
@Command(name = "license",
        description = "Make the license signing key pair, issue license keys, inspect them.",
        subcommands = {LicenseKeygenCommand.class, LicenseIssueCommand.class, LicenseInspectCommand.class})
final class LicenseCommand {

    @Mixin
    HelpOption help;
}
