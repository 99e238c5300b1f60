package io.tidemark.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.schema.ExistingTable;

/**
 * What the sink will find in the target before it writes a row, asked from outside a worker (the
 * control API's precheck): each table's target name as the sink maps it, and whether the existing
 * table can take rows — the parts of the sink's check that need no record schema (a key for the
 * upsert, privileges). The columns themselves are checked against the first record's schema by
 * the sink, as {@code docs/sink.md} says.
 */
public final class SinkPrecheck {

    /** @param ok false when the sink would stop the table; {@code detail} says why and what to do */
    public record TableCheck(String sourceTable, String targetTable, boolean ok, String detail) {
    }

    private final PostgresSinkConfig config;
    private final NameMapper names;

    public SinkPrecheck(Map<String, String> sinkConfig) {
        this.config = new PostgresSinkConfig(sinkConfig);
        this.names = config.nameMapper();
    }

    public String controlSchema() {
        return config.controlSchema();
    }

    public String projectName(String connector) {
        return config.projectName(connector);
    }

    /** The target table of a source table ({@code SCHEMA.TABLE}, or a topic name). */
    public TargetTable target(String sourceTable) {
        return names.table(SourceTable.fromTopic(sourceTable));
    }

    /** A column's target name in its table ({@code column.rename}, then {@code name.case}), as the sink maps it. */
    public String targetColumn(String sourceTable, String column) {
        return names.column(SourceTable.fromTopic(sourceTable), column);
    }

    /** The target name of an index, constraint or sequence: {@code name.case}, as for a table without a rename. */
    public String targetObject(String name) {
        return config.nameCase().apply(name);
    }

    /** One check per source table, against the target database the connection reaches. */
    public List<TableCheck> check(Connection c, Collection<String> sourceTables) throws SQLException {
        List<TableCheck> result = new ArrayList<>();
        for (String source : sourceTables) {
            TargetTable target = target(source);
            Optional<ExistingTable> existing = ExistingTable.read(c, target);
            if (existing.isEmpty()) {
                result.add(config.autoCreate()
                        ? new TableCheck(source, target.toString(), true, "does not exist yet: the sink creates it from "
                        + "the first record (table.auto.create=true)")
                        : new TableCheck(source, target.toString(), false, "does not exist and table.auto.create is "
                        + "false: create it, or set table.auto.create=true"));
                continue;
            }
            result.add(checkExisting(c, source, existing.get()));
        }
        return result;
    }

    private TableCheck checkExisting(Connection c, String source, ExistingTable table) throws SQLException {
        TargetTable target = table.table();
        List<String> problems = new ArrayList<>();
        if (table.uniqueKeys().isEmpty()) {
            problems.add("no primary key or unique index, which the upsert needs: ALTER TABLE " + target.quoted()
                    + " ADD PRIMARY KEY (<the source's key columns>)");
        }
        boolean owner;
        boolean dml;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_has_role(c.relowner, 'USAGE'),"
                + " has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')"
                + " AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, target.schema());
            ps.setString(2, target.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                owner = rs.getBoolean(1);
                dml = rs.getBoolean(2);
            }
        }
        if (!dml) {
            problems.add("the sink's user lacks SELECT, INSERT, UPDATE or DELETE on it: GRANT SELECT, INSERT, UPDATE, "
                    + "DELETE ON " + target.quoted() + " TO current_user");
        }
        if (!problems.isEmpty()) {
            return new TableCheck(source, target.toString(), false, String.join("; ", problems));
        }
        List<String> notes = new ArrayList<>();
        table.columns().values().stream().filter(ExistingTable.Column::notNullWithoutDefault).map(ExistingTable.Column::name)
                .forEach(name -> notes.add(name));
        String detail = "exists with " + table.columns().size() + " columns and a key; its columns are checked against "
                + "the first record";
        if (!notes.isEmpty()) {
            detail += "; NOT NULL without default: " + String.join(", ", notes) + " (the source must fill them)";
        }
        if (!owner && config.autoEvolve()) {
            detail += "; not owned by the sink's user, so a column the source gains cannot be added (table.auto.evolve)";
        }
        return new TableCheck(source, target.toString(), true, detail);
    }
}
