package io.tidemark.sink.apply;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.naming.SourceTable;

/** The error policy of each table: the per-table override, or the default. */
public final class ErrorPolicies {

    private final ErrorPolicy defaultPolicy;
    private final Map<String, ErrorPolicy> overrides = new HashMap<>();

    public ErrorPolicies(ErrorPolicy defaultPolicy, Map<String, ErrorPolicy> overrides) {
        this.defaultPolicy = defaultPolicy;
        overrides.forEach((table, policy) -> this.overrides.put(table.toUpperCase(Locale.ROOT), policy));
    }

    public ErrorPolicy of(SourceTable table) {
        return overrides.getOrDefault(table.qualified().toUpperCase(Locale.ROOT), defaultPolicy);
    }
}
