package io.tidemark.sink.flush;

import java.util.Map;

import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.config.PerTable;
import io.tidemark.sink.naming.SourceTable;

/** The error policy of each table: the per-table override, or the default. */
public final class ErrorPolicies {

    private final PerTable<ErrorPolicy> policies;

    public ErrorPolicies(ErrorPolicy defaultPolicy, Map<String, ErrorPolicy> overrides) {
        this.policies = new PerTable<>(defaultPolicy, overrides);
    }

    public ErrorPolicy of(SourceTable table) {
        return policies.of(table);
    }
}
