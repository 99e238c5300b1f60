package io.tidemark.sink.copy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.schema.ColumnModel;
import io.tidemark.sink.schema.TableModel;

/**
 * Gives the staged rows of a segment the values their changes did not carry (the unavailable-value
 * placeholder), before they move on, so that nothing unavailable is ever written as a value:
 * <ul>
 * <li>a primary-key change moves the row. The values the new key lacks are the old key's at the
 *     move, which only the old key's delete (the move) knows for sure: its partition may hold
 *     changes of the old key after any earlier image of it. So in PARTIAL the delete moves the
 *     target's row to the new key with the values its image carries, and the new key's create
 *     finds the row there; in FULL the create takes them from the move's image (in the segment,
 *     or staged in its iteration) and the target. Until the move is seen, the create waits;</li>
 * <li>a row that still lacks a value and has no row to keep it from (the target's, or in FULL the
 *     stage's latest of the key) leaves the staging table and is returned, for the error policy.</li>
 * </ul>
 */
public final class UnavailableFill {

    /**
     * A staged row nothing could fill: its position in the encoded segment, its change, the columns
     * it lacks, and whether it is the new key of a key change whose old key nothing has yet (its
     * partition is behind: the old row comes later, so the change waits for it).
     */
    public record Unfillable(int row, ChangeEvent change, BitSet columns, boolean waitsForOldKey, String oldKeyTrace) {

        public Unfillable(int row, ChangeEvent change, BitSet columns, boolean waitsForOldKey) {
            this(row, change, columns, waitsForOldKey, null);
        }
    }

    /** Each retry means one more concurrent writer of a new key; a refusal after these is a row's own. */
    private static final int MOVE_ATTEMPTS = 5;

    private final Connection connection;
    /** The FULL table's durable stage (qualified), or null for a PARTIAL table. */
    private final String stage;
    private final long iteration;

    public UnavailableFill(Connection connection, String stage, long iteration) {
        this.connection = connection;
        this.stage = stage;
        this.iteration = iteration;
    }

    /** Fills what it can of the rows in the session's staging table; removes and returns the rest. */
    public List<Unfillable> fill(StagingTable staging, EncodedSegment encoded) throws SQLException {
        boolean moves = encoded.rows.stream().anyMatch(c -> c.otherKey() != null);
        List<Unfillable> unfillable = new ArrayList<>();
        if (!moves && encoded.maskedUpserts == 0) {
            return unfillable;
        }
        TableModel model = staging.model();
        String s = staging.name() + " s";
        try (Statement st = connection.createStatement()) {
            Set<Integer> moveUnseen = moves && encoded.maskedUpserts > 0 && stage != null
                    ? rowsWhoseMoveIsUnseen(st, staging) : Set.of();
            if (moves && stage == null) {
                for (int mask : moveDeleteMasks(encoded)) {
                    moveTargetRows(moveTargetRowsSql(staging, encoded.masks.get(mask), mask));
                }
                st.executeUpdate(moveImageSql(staging));
            }
            for (int mask = 1; mask < encoded.masks.size() && moves && stage != null; mask++) {
                st.executeUpdate(fillFromMoveSql(staging, encoded, mask));
            }
            if (encoded.maskedUpserts > 0) {
                try (ResultSet rs = st.executeQuery("DELETE FROM " + s + " WHERE s." + Identifiers.quote(StagingTable.MASK)
                        + " <> 0 AND NOT s." + flag() + " AND NOT " + rowExists(model, false)
                        + " RETURNING s." + Identifiers.quote(StagingTable.ROW) + ", s."
                        + Identifiers.quote(StagingTable.MASK) + ", " + otherKeyGiven() + " AND NOT "
                        + moveSeen(staging) + ", CASE WHEN " + otherKeyGiven() + " THEN " + oldKeyTrace(staging)
                        + " END")) {
                    while (rs.next()) {
                        int row = rs.getInt(1);
                        unfillable.add(new Unfillable(row, encoded.rows.get(row), encoded.masks.get(rs.getInt(2)),
                                rs.getBoolean(3) || moveUnseen.contains(row), rs.getString(4)));
                    }
                }
            }
        }
        return unfillable;
    }

    /**
     * FULL: the new keys of key changes whose move (the old key's delete) is neither in the segment
     * nor staged yet, looked for before the fill: the fill and the search for the rows it could not
     * fill are statements of their own, each with its own snapshot, and another task may stage the
     * old key's delete between them. Such a row waits for its move, found on the next try, rather
     * than counting as one nothing will ever fill.
     */
    private Set<Integer> rowsWhoseMoveIsUnseen(Statement st, StagingTable staging) throws SQLException {
        Set<Integer> rows = new HashSet<>();
        try (ResultSet rs = st.executeQuery("SELECT s." + Identifiers.quote(StagingTable.ROW) + " FROM " + staging.name()
                + " s WHERE s." + Identifiers.quote(StagingTable.MASK) + " <> 0 AND NOT s." + flag() + " AND "
                + otherKeyGiven() + " AND NOT " + moveSeen(staging))) {
            while (rs.next()) {
                rows.add(rs.getInt(1));
            }
        }
        return rows;
    }

    /** The masks of the segment's deletes that move a row (0: the delete carries the whole image). */
    private static Set<Integer> moveDeleteMasks(EncodedSegment encoded) {
        Set<Integer> masks = new java.util.TreeSet<>();
        for (int i = 0; i < encoded.size(); i++) {
            if (encoded.rowIsDelete[i] && encoded.rows.get(i).otherKey() != null) {
                masks.add(encoded.rowMask[i]);
            }
        }
        return masks;
    }

    /**
     * Moves the target's rows of old keys to their new keys where a new key has no row. Another
     * task may be writing a new key's row (its create, filled from the old row) in a transaction
     * not committed when this statement looks: the update waits for it, then fails on the duplicate
     * key (23505). Run again, it sees that row and leaves the old one to its delete.
     */
    private void moveTargetRows(String sql) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = connection.setSavepoint();
            try (Statement st = connection.createStatement()) {
                st.executeUpdate(sql);
                connection.releaseSavepoint(savepoint);
                return;
            } catch (SQLException e) {
                connection.rollback(savepoint);
                if (!SqlErrors.isUniqueViolation(e) || attempt == MOVE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Why a row was set aside, naming its columns and the source settings that avoid it. */
    public static String reason(Unfillable row, TableModel model) {
        StringJoiner columns = new StringJoiner(", ");
        BitSet bits = row.columns();
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            columns.add(model.columns().get(i).field().name());
        }
        return "the change of key " + row.change().key() + (row.change().otherKey() == null ? ""
                : " (moved from " + row.change().otherKey() + ")") + " did not carry the value of " + columns + " (Debezium's unavailable-value placeholder: an"
                + " unchanged TOASTed or LOB value) and neither an earlier change nor the target has the row to keep"
                + " it from; it was not written, since the target would hold NULL. Avoid it at the source: PostgreSQL"
                + " ALTER TABLE ... REPLICA IDENTITY FULL; Oracle lob.enabled=true from the first snapshot on"
                + " (docs/sink.md, Unavailable values)" + (row.oldKeyTrace() == null ? "" : " [" + row.oldKeyTrace() + "]");
    }

    /**
     * A row that came and moved within the segment (its delete carries the whole image) and the
     * target never had: the image goes in under the new key, for the create that may come later.
     */
    private static String moveImageSql(StagingTable staging) {
        TableModel model = staging.model();
        StringJoiner names = new StringJoiner(", ");
        StringJoiner values = new StringJoiner(", ");
        StringJoiner keys = new StringJoiner(", ");
        List<ColumnModel> keyColumns = model.keyColumns();
        for (ColumnModel col : model.columns()) {
            names.add(col.quotedName());
            values.add(col.key() ? "s." + StagingTable.otherKey(keyColumns.indexOf(col)) : "s." + col.quotedName());
        }
        keyColumns.forEach(k -> keys.add(k.quotedName()));
        String target = model.target().quoted();
        return "INSERT INTO " + target + " (" + names + ") SELECT " + values + " FROM " + staging.name() + " s WHERE s."
                + flag() + " AND " + otherKeyGiven() + " AND s." + Identifiers.quote(StagingTable.MASK) + " = 0"
                + " AND NOT EXISTS (SELECT 1 FROM " + target + " b WHERE " + keyMatch(model, "b", "s", false) + ")"
                + " AND NOT EXISTS (SELECT 1 FROM " + target + " b WHERE " + keyMatch(model, "b", "s", true) + ")"
                + " ON CONFLICT (" + keys + ") DO NOTHING";
    }

    /**
     * PARTIAL: a delete that moves a row moves the target's row of the old key to the new key, where
     * the new key has none, with the values the delete's image carries (the old key's changes earlier
     * in this segment, which the target does not have yet); what the image lacks stays the target's.
     */
    private static String moveTargetRowsSql(StagingTable staging, BitSet lacking, int mask) {
        TableModel model = staging.model();
        StringJoiner sets = new StringJoiner(", ");
        sets.add(keyAssignments(model, "s.", true));
        for (int i = 0; i < model.columns().size(); i++) {
            ColumnModel col = model.columns().get(i);
            if (!col.key() && !lacking.get(i)) {
                sets.add(col.quotedName() + " = s." + col.quotedName());
            }
        }
        String target = model.target().quoted();
        return "UPDATE " + target + " t SET " + sets + " FROM " + staging.name() + " s WHERE s." + flag() + " AND "
                + otherKeyGiven() + " AND s." + Identifiers.quote(StagingTable.MASK) + " = " + mask + " AND "
                + keyMatch(model, "t", "s", false) + " AND NOT EXISTS (SELECT 1 FROM " + target + " t2 WHERE "
                + keyMatch(model, "t2", "s", true) + ")";
    }

    /**
     * FULL: the new key's row takes what it lacks from the move, once the move is seen (the old key's
     * delete, in this segment or staged in this iteration): each column from the segment's delete
     * image where it has it, else from the old key's staged row of this iteration, else from the
     * target (no change of this iteration carried it). Never from an earlier image of the old key
     * alone: its partition may hold changes after it that the row had when it moved.
     */
    private String fillFromMoveSql(StagingTable staging, EncodedSegment encoded, int mask) {
        TableModel model = staging.model();
        BitSet columns = encoded.masks.get(mask);
        StringJoiner sets = new StringJoiner(", ");
        StringJoiner found = new StringJoiner(" AND ");
        String ofStage = " FROM " + stage + " g WHERE " + keyMatch(model, "g", "s", true) + " AND g."
                + Identifiers.quote(StageColumns.ITERATION) + " = " + iteration;
        for (int i = columns.nextSetBit(0); i >= 0; i = columns.nextSetBit(i + 1)) {
            ColumnModel col = model.columns().get(i);
            String inSegment = " FROM " + staging.name() + " s2 WHERE " + keyMatch(model, "s2", "s", true) + " AND s2."
                    + flag() + " AND s2." + Identifiers.quote(StagingTable.MASK) + " IN (" + masksWithout(encoded, i) + ")";
            String staged = ofStage + " AND NOT (" + Identifiers.literal(col.name()) + " = ANY(g."
                    + Identifiers.quote(StageColumns.UNAVAILABLE) + "))";
            String inTarget = " FROM " + model.target().quoted() + " b WHERE " + keyMatch(model, "b", "s", true);
            sets.add(col.quotedName() + " = CASE WHEN EXISTS (SELECT 1" + inSegment + ") THEN (SELECT s2."
                    + col.quotedName() + inSegment + " LIMIT 1) WHEN EXISTS (SELECT 1" + staged + ") THEN (SELECT g."
                    + col.quotedName() + staged + ") ELSE (SELECT b." + col.quotedName() + inTarget + ") END");
            found.add("(EXISTS (SELECT 1" + inSegment + ") OR EXISTS (SELECT 1" + staged + ") OR EXISTS (SELECT 1"
                    + inTarget + "))");
        }
        sets.add(Identifiers.quote(StagingTable.MASK) + " = 0");
        return "UPDATE " + staging.name() + " s SET " + sets + " WHERE s." + Identifiers.quote(StagingTable.MASK) + " = "
                + mask + " AND NOT s." + flag() + " AND " + otherKeyGiven() + " AND NOT " + rowExists(model, false)
                + " AND " + moveSeen(staging) + " AND " + found;
    }

    /** The mask ids (as SQL) of rows that carry column {@code i}. */
    private static String masksWithout(EncodedSegment encoded, int i) {
        StringJoiner ids = new StringJoiner(", ");
        for (int m = 0; m < encoded.masks.size(); m++) {
            if (!encoded.masks.get(m).get(i)) {
                ids.add(Integer.toString(m));
            }
        }
        return ids.toString();
    }

    /**
     * What this flush saw of a key change's old key, for the reason of a row nothing could fill: its
     * rows in the segment, the target and (FULL) the stage, with their iteration, partition, whether a
     * delete, and the columns they lack. A move set aside is a rare sequence of changes; the reason
     * names it, so that the status alone tells what happened.
     */
    private String oldKeyTrace(StagingTable staging) {
        TableModel model = staging.model();
        String inBatch = "(SELECT count(*) || ' row(s) in this batch (' || count(*) FILTER (WHERE s2." + flag()
                + ") || ' a delete)' FROM " + staging.name() + " s2 WHERE " + keyMatch(model, "s2", "s", true) + ")";
        String inTarget = "EXISTS (SELECT 1 FROM " + model.target().quoted() + " b WHERE " + keyMatch(model, "b", "s", true)
                + ")";
        String trace = "'the old key: ' || " + inBatch + " || ', ' || CASE WHEN " + inTarget
                + " THEN 'a row' ELSE 'no row' END || ' in the target'";
        if (stage == null) {
            return trace;
        }
        String stagedIteration = "g." + Identifiers.quote(StageColumns.ITERATION);
        String unavailable = "g." + Identifiers.quote(StageColumns.UNAVAILABLE);
        String staged = "(SELECT string_agg('iteration ' || " + stagedIteration + " || ' partition ' || g."
                + Identifiers.quote(StageColumns.PARTITION) + " || CASE WHEN g." + Identifiers.quote(StageColumns.DELETE)
                + " THEN ' a delete' ELSE '' END || CASE WHEN cardinality(" + unavailable + ") > 0 THEN ' lacking ' ||"
                + " array_to_string(" + unavailable + ", ', ') ELSE '' END, '; ' ORDER BY " + stagedIteration + ") FROM " + stage
                + " g WHERE " + keyMatch(model, "g", "s", true) + ")";
        return trace + " || ', in the stage: ' || COALESCE(" + staged + ", 'none') || ' (this change: iteration "
                + iteration + ")'";
    }

    /**
     * The key change's move is seen: the old key's delete is in the segment, or (FULL) staged in this
     * iteration. Until then the new key's create waits (its old key's partition is behind); in
     * PARTIAL the move, once applied, has put the row at the new key, where the create finds it.
     */
    private String moveSeen(StagingTable staging) {
        TableModel model = staging.model();
        String inSegment = "EXISTS (SELECT 1 FROM " + staging.name() + " s2 WHERE " + keyMatch(model, "s2", "s", true)
                + " AND s2." + flag() + ")";
        return stage == null ? inSegment : "(" + inSegment + " OR EXISTS (SELECT 1 FROM " + stage + " g WHERE "
                + keyMatch(model, "g", "s", true) + " AND g." + Identifiers.quote(StageColumns.ITERATION) + " = "
                + iteration + " AND g." + Identifiers.quote(StageColumns.DELETE) + "))";
    }

    /**
     * The key's row exists to keep a value from: in PARTIAL the target's; in FULL the stage's latest
     * row of the key unless it is a delete, or when the stage has none, the target's.
     */
    private String rowExists(TableModel model, boolean other) {
        String inTarget = "EXISTS (SELECT 1 FROM " + model.target().quoted() + " b WHERE " + keyMatch(model, "b", "s", other)
                + ")";
        if (stage == null) {
            return inTarget;
        }
        return "COALESCE((SELECT NOT g." + Identifiers.quote(StageColumns.DELETE) + " FROM " + stage + " g WHERE "
                + keyMatch(model, "g", "s", other) + " AND g." + Identifiers.quote(StageColumns.ITERATION) + " <= "
                + iteration + " ORDER BY g." + Identifiers.quote(StageColumns.ITERATION) + " DESC LIMIT 1), " + inTarget
                + ")";
    }

    /** {@code a}'s key equals {@code s}'s key, or {@code s}'s other key. */
    private static String keyMatch(TableModel model, String a, String s, boolean other) {
        StringJoiner match = new StringJoiner(" AND ");
        List<ColumnModel> keys = model.keyColumns();
        for (int j = 0; j < keys.size(); j++) {
            match.add(a + "." + keys.get(j).quotedName() + " = " + s + "."
                    + (other ? StagingTable.otherKey(j) : keys.get(j).quotedName()));
        }
        return match.toString();
    }

    /** {@code key = s.other_key, ...}: the target's row takes the new key. */
    private static String keyAssignments(TableModel model, String s, boolean other) {
        StringJoiner sets = new StringJoiner(", ");
        List<ColumnModel> keys = model.keyColumns();
        for (int j = 0; j < keys.size(); j++) {
            sets.add(keys.get(j).quotedName() + " = " + s + (other ? StagingTable.otherKey(j) : keys.get(j).quotedName()));
        }
        return sets.toString();
    }

    private static String otherKeyGiven() {
        return "s." + StagingTable.otherKey(0) + " IS NOT NULL";
    }

    private static String flag() {
        return Identifiers.quote(StagingTable.DELETE_FLAG);
    }
}
