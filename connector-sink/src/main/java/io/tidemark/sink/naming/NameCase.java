package io.tidemark.sink.naming;

import java.util.Locale;

/** How source names (Oracle's are upper case) become PostgreSQL names when no rename applies. */
public enum NameCase {
    /** {@code EMPLOYEES} becomes {@code employees}: PostgreSQL's own folding, so SQL needs no quotes. */
    LOWER,
    /** Keep the source spelling; queries must quote upper-case names. */
    PRESERVE;

    public String apply(String name) {
        return this == LOWER ? name.toLowerCase(Locale.ROOT) : name;
    }

    public static NameCase parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
