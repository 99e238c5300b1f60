package io.tidemark.sink.naming;

/** A table in the target PostgreSQL database. */
public record TargetTable(String schema, String name) {

    /** {@code "schema"."name"}, quoted for SQL. */
    public String quoted() {
        return Identifiers.quote(schema, name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
