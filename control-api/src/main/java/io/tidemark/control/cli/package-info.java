/**
 * The {@code bin/tidemark} CLI: picocli commands. {@code serve} runs the control API; the project and
 * table verbs call it over HTTP (docs/control-api.md); the license verbs (keygen, issue, inspect;
 * docs/license.md) work offline.
 */
package io.tidemark.control.cli;
