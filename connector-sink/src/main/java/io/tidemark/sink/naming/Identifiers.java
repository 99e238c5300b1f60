package io.tidemark.sink.naming;

import java.nio.charset.StandardCharsets;

/** Quoting and checking of PostgreSQL identifiers. Every name Tidemark puts into SQL goes through here. */
public final class Identifiers {

    /** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated, so they are refused instead. */
    public static final int MAX_BYTES = 63;

    private Identifiers() {
    }

    /** The identifier in double quotes, embedded quotes doubled: safe for any name. */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}. */
    public static String quote(String schema, String name) {
        return quote(schema) + '.' + quote(name);
    }

    /** What is wrong with the name as a PostgreSQL identifier, or null when nothing is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "an identifier must not be empty";
        }
        if (name.indexOf('\0') >= 0) {
            return "an identifier must not contain a NUL character";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "'" + name + "' is " + bytes + " bytes long; PostgreSQL identifiers hold at most " + MAX_BYTES;
        }
        return null;
    }

    /**
     * A string literal for SQL, quotes doubled (for the few places a name is a value, e.g. catalog
     * lookups). A value with a backslash is written as an escape string ({@code E'...'}), which reads
     * the same whether or not the session's {@code standard_conforming_strings} is on.
     */
    public static String literal(String value) {
        String quoted = value.replace("'", "''");
        return value.indexOf('\\') < 0 ? '\'' + quoted + '\'' : "E'" + quoted.replace("\\", "\\\\") + '\'';
    }
}
