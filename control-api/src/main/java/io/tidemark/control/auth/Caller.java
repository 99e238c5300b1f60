package io.tidemark.control.auth;

/**
 * Who called: the name the token was given (never the token itself, which stays in the tokens
 * file) and its scope. The name goes into the audit and the log.
 */
public record Caller(String name, Scope scope) {
}
