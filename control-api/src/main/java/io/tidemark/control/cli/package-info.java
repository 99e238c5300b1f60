/**
 * The {@code bin/tidemark} CLI: picocli commands, today the license verbs (keygen, issue, inspect;
 * docs/license.md).
 */
package io.tidemark.control.cli;
