package io.tidemark.sink.config;

import java.util.Locale;

/** How a table's changes reach the target (docs/design.md, "Consistency modes"; docs/consistency.md). */
public enum ConsistencyMode {
    /** Each batch is applied as it comes; a table moves on its own. */
    PARTIAL,
    /**
     * Changes of an iteration are staged and applied to every FULL table in one transaction once
     * all of them reached the iteration's marker: readers see the FULL tables only as the source
     * was at some marker.
     */
    FULL;

    public static ConsistencyMode parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
