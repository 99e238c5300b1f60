package io.tidemark.sink.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.tidemark.sink.naming.SourceTable;

/**
 * A setting with a default and per-table overrides ({@code SCHEMA.TABLE:value}), matched without
 * regard to case as operators write {@code hr.emp} for Oracle's {@code HR.EMP}.
 */
public final class PerTable<T> {

    private final T defaultValue;
    private final Map<String, T> overrides = new HashMap<>();

    public PerTable(T defaultValue, Map<String, T> overrides) {
        this.defaultValue = defaultValue;
        overrides.forEach((table, value) -> this.overrides.put(table.toUpperCase(Locale.ROOT), value));
    }

    public T of(SourceTable table) {
        return overrides.getOrDefault(table.qualified().toUpperCase(Locale.ROOT), defaultValue);
    }
}
