package io.tidemark.sink.license;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.sink.control.ControlSchema;

/**
 * The other Tidemark control schemas in the database, and what each holds of the project: so that
 * pointing {@code control.schema} somewhere new neither starts the project's usage from zero nor
 * lets two schemas meter one project side by side.
 *
 * <p>A control schema is found by the catalog: a table {@code license_usage} carrying
 * {@link UsageLedger#TABLE_COMMENT}. Schemas whose tables the sink's database user may not read
 * are passed over (docs/license.md names this limit).
 */
final class ControlSchemaSurvey {

    /** Another control schema: the project's usage row there (or null) and whether the project applied there. */
    record Elsewhere(String schema, UsageRow row, boolean history) {
    }

    private static final String CATALOG_SQL = """
            SELECT n.nspname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = 'license_usage' AND c.relkind IN ('r', 'p')
              AND obj_description(c.oid, 'pg_class') = ?
              AND n.nspname <> ?
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'seal' AND NOT a.attisdropped)
              AND has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')
              AND coalesce(has_table_privilege(to_regclass(format('%I.table_state', n.nspname)), 'SELECT'), false)
              AND coalesce(has_table_privilege(to_regclass(format('%I.kafka_offsets', n.nspname)), 'SELECT'), false)
            ORDER BY n.nspname""";

    private final ControlSchema own;
    private final String project;
    private final String connector;

    ControlSchemaSurvey(ControlSchema own, String project, String connector) {
        this.own = own;
        this.project = project;
        this.connector = connector;
    }

    List<Elsewhere> survey(Connection connection) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(CATALOG_SQL)) {
            ps.setString(1, UsageLedger.TABLE_COMMENT);
            ps.setString(2, own.schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
        }
        List<Elsewhere> found = new ArrayList<>();
        for (String schema : schemas) {
            UsageLedger there = new UsageLedger(new ControlSchema(schema), project, connector);
            found.add(new Elsewhere(schema, there.read(connection), there.hasHistory(connection)));
        }
        return found;
    }

    /**
     * Why the project's usage here cannot be trusted given what other schemas hold, or null.
     *
     * @param mine the project's row here, or null while it is being made
     */
    String problem(List<Elsewhere> others, UsageRow mine) {
        for (Elsewhere other : others) {
            String table = new ControlSchema(other.schema()).table("license_usage");
            if (UsageRow.absent(other.row())) {
                if (other.history()) {
                    return "control schema " + other.schema() + " holds table states or Kafka offsets of project " + project
                            + " but no usage row in " + table + ": it was deleted there. A project meters in one control "
                            + "schema; restore that row from a backup (the whole row: its seal travels with it), or, if "
                            + other.schema() + " is a leftover, drop that schema whole";
                }
            } else if (!other.row().sealVerifies()) {
                return "control schema " + other.schema() + " holds a usage row of project " + project + " that does not "
                        + "match its seal (used_bytes=" + other.row().usedBytes() + " in " + table + "): it was changed "
                        + "outside the sink. Restore that row from a backup, or, if " + other.schema()
                        + " is a leftover, drop that schema whole";
            } else if (mine != null && mine.createdAt() != null && other.row().createdAt().isAfter(mine.createdAt())) {
                return "project " + project + " meters in control schema " + other.schema() + " since "
                        + other.row().createdAt() + ", later than in " + own.schema() + " (since " + mine.createdAt()
                        + "): a connector of the project was pointed at another control.schema. One project meters in one "
                        + "control schema: set control.schema=" + other.schema() + " on every connector of project " + project;
            }
        }
        return null;
    }

    /** Where a new row takes its usage from: the other schema holding the most for the project (sealed rows only), or null. */
    static Elsewhere carried(List<Elsewhere> others) {
        Elsewhere most = null;
        for (Elsewhere other : others) {
            UsageRow row = other.row();
            if (!UsageRow.absent(row) && row.sealVerifies() && (most == null || row.usedBytes() > most.row().usedBytes())) {
                most = other;
            }
        }
        return most;
    }
}
