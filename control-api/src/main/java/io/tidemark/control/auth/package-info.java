/**
 * Who may call the control API: bearer tokens with a name and a scope ({@code read}, {@code operate},
 * {@code admin}), compared in constant time; the name, never the token, identifies the caller.
 */
package io.tidemark.control.auth;
