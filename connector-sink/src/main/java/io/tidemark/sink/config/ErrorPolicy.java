package io.tidemark.sink.config;

import java.util.Locale;

/** What the sink does with a record it cannot apply (wrong shape, a value that does not fit). */
public enum ErrorPolicy {
    /** Stop the table: status ERROR_ABORTED with the reason, its partitions paused, nothing applied past the record. */
    FAIL,
    /** Log the record's coordinates and the reason at WARN, and go on. */
    SKIP,
    /** Write the record's coordinates, key, reason and payload to {@code <control>.error_rows}, and go on. */
    FLAG;

    public static ErrorPolicy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
