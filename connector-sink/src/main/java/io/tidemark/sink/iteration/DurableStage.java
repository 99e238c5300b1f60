package io.tidemark.sink.iteration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.tidemark.sink.batch.ApplyCounts;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.copy.EncodedSegment;
import io.tidemark.sink.copy.StageColumns;
import io.tidemark.sink.copy.StagingTable;
import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.schema.ColumnModel;
import io.tidemark.sink.schema.TableModel;

/**
 * The durable staging table of a FULL table, in the control schema: the changes of an iteration
 * wait there, committed with their Kafka offsets, until the whole iteration is applied. One row
 * per key and iteration — a later change of the key in the same iteration merges into the row: a
 * column the later change did not carry (a LOB Debezium could not read, every column of a delete
 * that does not move the row) keeps the earlier value, for a primary-key change that moves it —
 * so the table stays as small as the iteration's distinct keys, however many changes it had.
 *
 * <p>Each row says which columns its change did not carry ({@code __tidemark_unavailable}): the
 * apply leaves those alone in the target, as the direct path does with its masks.
 */
public final class DurableStage {

    public static final String ITERATION = StageColumns.ITERATION;
    public static final String DELETE = StageColumns.DELETE;
    public static final String UNAVAILABLE = StageColumns.UNAVAILABLE;
    static final String PARTITION = StageColumns.PARTITION;

    private final ControlSchema control;
    private final String name;
    private final TargetTable target;

    public DurableStage(ControlSchema control, TargetTable target) {
        this.control = control;
        this.target = target;
        this.name = nameFor(target);
    }

    /** {@code stage_<schema>_<table>_<hash>}, within 63 bytes and unique per target table. */
    static String nameFor(TargetTable target) {
        String readable = (target.schema() + "_" + target.name()).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        if (readable.length() > 40) {
            readable = readable.substring(0, 40);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(target.toString().getBytes(StandardCharsets.UTF_8));
            return "stage_" + readable + "_" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String name() {
        return name;
    }

    TargetTable target() {
        return target;
    }

    /** {@code "control"."stage_…"}. */
    public String qualified() {
        return qualified(control, name);
    }

    public static String qualified(ControlSchema control, String stageName) {
        return Identifiers.quote(control.schema()) + "." + Identifiers.quote(stageName);
    }

    /**
     * Creates the staging table, or adds the columns the model has and it lacks; rows staged before
     * a column existed did not carry it, so they list it as unavailable. Runs under the DDL lock, in
     * the caller's transaction.
     */
    public void ensure(Connection c, String project, String sourceTable, TableModel model, Map<String, String> targetTypes)
            throws SQLException {
        Map<String, String> existing = columns(c);
        try (Statement st = c.createStatement()) {
            if (existing.isEmpty()) {
                StringJoiner defs = new StringJoiner(", ", "CREATE TABLE IF NOT EXISTS " + qualified() + " (", ")");
                StringJoiner keys = new StringJoiner(", ");
                for (ColumnModel col : model.columns()) {
                    defs.add(col.quotedName() + " " + targetTypes.get(col.name()));
                    if (col.key()) {
                        keys.add(col.quotedName());
                    }
                }
                defs.add(Identifiers.quote(ITERATION) + " bigint NOT NULL")
                        .add(Identifiers.quote(DELETE) + " boolean NOT NULL")
                        .add(Identifiers.quote(UNAVAILABLE) + " text[] NOT NULL DEFAULT '{}'")
                        .add(Identifiers.quote(PARTITION) + " int NOT NULL")
                        .add("PRIMARY KEY (" + keys + ", " + Identifiers.quote(ITERATION) + ")");
                st.execute(defs.toString());
                st.execute("COMMENT ON TABLE " + qualified() + " IS " + Identifiers.literal(
                        "Tidemark: changes of FULL table " + sourceTable + " waiting for their iteration to be applied to "
                                + target));
            } else {
                for (ColumnModel col : model.columns()) {
                    if (!existing.containsKey(col.name())) {
                        st.execute("ALTER TABLE " + qualified() + " ADD COLUMN " + col.quotedName() + " "
                                + targetTypes.get(col.name()));
                        st.execute("UPDATE " + qualified() + " SET " + Identifiers.quote(UNAVAILABLE) + " = "
                                + Identifiers.quote(UNAVAILABLE) + " || " + Identifiers.literal(col.name()) + "::text");
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + control.table("stage_table")
                + " (project, source_table, target_table, stage_name) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            ps.setString(3, target.toString());
            ps.setString(4, name);
            ps.executeUpdate();
        }
    }

    /** The staging table's data columns (name → type), in order; empty when it does not exist. */
    public Map<String, String> columns(Connection c) throws SQLException {
        return columns(c, qualified());
    }

    /** A staging table's data columns (name → type), in order; empty when it does not exist. */
    static Map<String, String> columns(Connection c, String stageQualified) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND a.attname NOT LIKE '\\_\\_tidemark\\_%' ORDER BY a.attnum")) {
            ps.setString(1, stageQualified);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return result;
    }

    /**
     * Moves rows {@code from..to} of a segment, the ones in the session's staging table now, into the
     * durable stage for {@code iteration}, replacing the key's row of that iteration when there is one.
     *
     * @param stageColumns the durable stage's columns: those the model lacks count as not carried
     */
    public ApplyCounts stage(Connection c, StagingTable staging, EncodedSegment encoded, int from, int to, long iteration,
                      int partition, List<String> stageColumns) throws SQLException {
        TableModel model = staging.model();
        List<String> modelColumns = model.columns().stream().map(ColumnModel::name).toList();
        List<String> notInModel = stageColumns.stream().filter(col -> !modelColumns.contains(col)).toList();
        long upserts = 0;
        long deletes = 0;
        try (Statement st = c.createStatement()) {
            for (int mask = 0; mask < encoded.masks.size(); mask++) {
                List<String> unavailable = new ArrayList<>(notInModel);
                BitSet bits = encoded.masks.get(mask);
                for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
                    unavailable.add(model.columns().get(i).name());
                }
                st.executeUpdate(stageSql(staging, model, unavailable, mask, encoded.masks.size() == 1, iteration,
                        partition));
            }
        }
        for (int i = from; i < to; i++) {
            if (encoded.rowIsDelete[i]) {
                deletes++;
            } else {
                upserts++;
            }
        }
        return new ApplyCounts(upserts, deletes);
    }

    private String stageSql(StagingTable staging, TableModel model, List<String> unavailable, int mask,
                            boolean onlyMask, long iteration, int partition) {
        StringJoiner names = new StringJoiner(", ");
        StringJoiner selected = new StringJoiner(", ");
        StringJoiner updates = new StringJoiner(", ");
        StringJoiner keys = new StringJoiner(", ");
        for (ColumnModel col : model.columns()) {
            names.add(col.quotedName());
            selected.add("s." + col.quotedName());
            if (col.key()) {
                keys.add(col.quotedName());
            } else {
                updates.add(col.quotedName() + " = CASE WHEN " + Identifiers.literal(col.name()) + " = ANY(EXCLUDED."
                        + Identifiers.quote(UNAVAILABLE) + ") THEN st." + col.quotedName() + " ELSE EXCLUDED."
                        + col.quotedName() + " END");
            }
        }
        String unavailableLiteral = textArray(unavailable);
        updates.add(Identifiers.quote(DELETE) + " = EXCLUDED." + Identifiers.quote(DELETE));
        updates.add(Identifiers.quote(PARTITION) + " = EXCLUDED." + Identifiers.quote(PARTITION));
        // What neither change carried stays unknown; what one of them carried is known now.
        updates.add(Identifiers.quote(UNAVAILABLE) + " = ARRAY(SELECT unnest(st." + Identifiers.quote(UNAVAILABLE)
                + ") INTERSECT SELECT unnest(EXCLUDED." + Identifiers.quote(UNAVAILABLE) + "))");
        return "INSERT INTO " + qualified() + " AS st (" + names + ", " + Identifiers.quote(ITERATION) + ", "
                + Identifiers.quote(DELETE) + ", " + Identifiers.quote(UNAVAILABLE) + ", " + Identifiers.quote(PARTITION)
                + ") SELECT " + selected + ", " + iteration + ", s." + Identifiers.quote(StagingTable.DELETE_FLAG) + ", "
                + unavailableLiteral + ", " + partition + " FROM " + staging.name() + " s"
                + (onlyMask ? "" : " WHERE s." + Identifiers.quote(StagingTable.MASK) + " = " + mask)
                + " ON CONFLICT (" + keys + ", " + Identifiers.quote(ITERATION) + ") DO UPDATE SET " + updates;
    }

    private static String textArray(List<String> values) {
        return "ARRAY[" + String.join(", ", values.stream().map(Identifiers::literal).toList()) + "]::text[]";
    }

    /** A staging table's key columns (its primary key without the iteration), in key order. */
    static List<String> keyColumns(Connection c, String stageQualified) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                + " WHERE i.indrelid = to_regclass(?) AND i.indisprimary AND a.attname NOT LIKE '\\_\\_tidemark\\_%'"
                + " ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            ps.setString(1, stageQualified);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        }
        return result;
    }

    /**
     * Applies what a staging table holds for every iteration up to {@code upTo}, in iteration order,
     * to the target, and empties the stage of it; a truncate staged for iteration {@code truncateAt}
     * (null: none) empties the target first, after the iterations before it. In the caller's transaction.
     */
    static ApplyCounts applyStaged(Connection c, String stageQualified, TargetTable target, long upTo, Long truncateAt)
            throws SQLException {
        List<String> columns = List.copyOf(columns(c, stageQualified).keySet());
        if (columns.isEmpty()) {
            if (truncateAt != null) {
                emptyTarget(c, target);
            }
            return ApplyCounts.NONE;
        }
        return apply(c, stageQualified, target, columns, keyColumns(c, stageQualified), upTo, truncateAt);
    }

    /**
     * A truncate of the source table in {@code iteration} wipes what was staged for that iteration and
     * the ones before it (the target is emptied when the iteration is applied: {@link StageDirectory}).
     */
    void wipeUpTo(Connection c, long iteration) throws SQLException {
        if (!columns(c).isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified() + " WHERE "
                    + Identifiers.quote(ITERATION) + " <= ?")) {
                ps.setLong(1, iteration);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Empties the target for a staged truncate, with DELETE rather than TRUNCATE: TRUNCATE is not
     * MVCC-safe, and a reader's snapshot taken before the iteration must still see the target whole.
     */
    static void emptyTarget(Connection c, TargetTable target) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + target.quoted());
        }
    }

    private static ApplyCounts apply(Connection c, String stageQualified, TargetTable target, List<String> columns,
                                     List<String> keyColumns, long upTo, Long truncateAt) throws SQLException {
        ApplyCounts counts = ApplyCounts.NONE;
        boolean truncated = truncateAt == null;
        for (long i : iterationsUpTo(c, stageQualified, upTo)) {
            if (!truncated && i >= truncateAt) {
                emptyTarget(c, target);
                truncated = true;
            }
            counts = counts.plus(applyIteration(c, stageQualified, target, columns, keyColumns, i, "true"));
        }
        if (!truncated) {
            emptyTarget(c, target);
        }
        forgetUpTo(c, stageQualified, upTo);
        return counts;
    }

    /** The iterations a stage holds rows of, up to {@code upTo}, in order. */
    static List<Long> iterationsUpTo(Connection c, String stageQualified, long upTo) throws SQLException {
        List<Long> iterations = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT " + Identifiers.quote(ITERATION) + " FROM "
                + stageQualified + " WHERE " + Identifiers.quote(ITERATION) + " <= ? ORDER BY 1")) {
            ps.setLong(1, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    iterations.add(rs.getLong(1));
                }
            }
        }
        return iterations;
    }

    /** The stage's rows up to {@code upTo} are applied: they go. */
    static void forgetUpTo(Connection c, String stageQualified, long upTo) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + stageQualified + " WHERE " + Identifiers.quote(ITERATION) + " <= " + upTo);
        }
    }

    /**
     * Applies the rows of iteration {@code i} that {@code rowFilter} (SQL on the stage's rows, as
     * {@code s}) selects: the deletes, then the upserts, one statement per set of unavailable columns.
     */
    static ApplyCounts applyIteration(Connection c, String stageQualified, TargetTable target, List<String> columns,
                                      List<String> keyColumns, long i, String rowFilter) throws SQLException {
        StringJoiner keyMatch = new StringJoiner(" AND ");
        keyColumns.forEach(k -> keyMatch.add("t." + Identifiers.quote(k) + " = s." + Identifiers.quote(k)));
        String names = String.join(", ", columns.stream().map(Identifiers::quote).toList());
        String selected = String.join(", ", columns.stream().map(col -> "s." + Identifiers.quote(col)).toList());
        String keys = String.join(", ", keyColumns.stream().map(Identifiers::quote).toList());
        String ofIteration = "s." + Identifiers.quote(ITERATION) + " = " + i + " AND (" + rowFilter + ")";
        long upserted = 0;
        long deleted;
        try (Statement st = c.createStatement()) {
            deleted = st.executeUpdate("DELETE FROM " + target.quoted() + " t USING " + stageQualified + " s WHERE "
                    + ofIteration + " AND s." + Identifiers.quote(DELETE) + " AND " + keyMatch);
            for (List<String> unavailable : unavailableSets(c, stageQualified, i)) {
                StringJoiner updates = new StringJoiner(", ");
                for (String col : columns) {
                    if (!keyColumns.contains(col) && !unavailable.contains(col)) {
                        updates.add(Identifiers.quote(col) + " = EXCLUDED." + Identifiers.quote(col));
                    }
                }
                String conflict = updates.length() == 0 ? "DO NOTHING" : "DO UPDATE SET " + updates;
                String sameSet = "s." + Identifiers.quote(UNAVAILABLE) + " = " + textArray(unavailable);
                upserted += st.executeUpdate("INSERT INTO " + target.quoted() + " (" + names + ") SELECT " + selected
                        + " FROM " + stageQualified + " s WHERE " + ofIteration + " AND NOT s."
                        + Identifiers.quote(DELETE) + " AND " + sameSet + " ON CONFLICT (" + keys + ") " + conflict);
            }
        }
        return new ApplyCounts(upserted, deleted);
    }

    private static List<List<String>> unavailableSets(Connection c, String stageQualified, long iteration)
            throws SQLException {
        List<List<String>> sets = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT " + Identifiers.quote(UNAVAILABLE) + " FROM "
                + stageQualified + " WHERE " + Identifiers.quote(ITERATION) + " = ? AND NOT " + Identifiers.quote(DELETE))) {
            ps.setLong(1, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] set = (String[]) rs.getArray(1).getArray();
                    sets.add(List.of(set));
                }
            }
        }
        return sets;
    }

    /** The first iteration a partition has rows staged for (its first change the target lacks), or null. */
    static Long firstStagedIteration(Connection c, String stageQualified, int partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT min(" + Identifiers.quote(ITERATION) + ") FROM "
                + stageQualified + " WHERE " + Identifiers.quote(PARTITION) + " = ?")) {
            ps.setInt(1, partition);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                return rs.wasNull() ? null : first;
            }
        }
    }

    /** Drops what one partition staged (its table stopped with an error); in the caller's transaction. */
    public static long dropPartition(Connection c, String stageQualified, int partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + stageQualified + " WHERE "
                + Identifiers.quote(PARTITION) + " = ?")) {
            ps.setInt(1, partition);
            return ps.executeUpdate();
        }
    }
}
