package io.tidemark.control.verify;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.connect.errors.DataException;

import io.tidemark.sink.control.ControlSchema;

/**
 * {@code --changed-since N} for one table: only the keys changed in iterations N+1 .. M (M the iteration
 * the table is verified at) are compared, each looked up on both sides by its key, in the run's
 * snapshot. The keys come from the table's topic between marker N's and marker M's offsets
 * ({@link TopicKeys}); a PARTIAL table, read as it is now, to the topic's end. A row not changed since
 * N is not looked at: a difference made there (by hand, in the target) is not found. When the keys
 * cannot be known (no key, no Kafka settings, a key the topic holds in a form not looked up by), the
 * caller compares the table whole and says why ({@link #wholeBecause}).
 */
final class ChangedSince {

    /** Keys per statement and per job on a connection pair. */
    private static final int CHUNK = 1_000;

    /** The keys' comparison: as a range comparison's outcome (one "range" per chunk), and what it read. */
    record Outcome(RangeComparison.Outcome compared, int keys, long records, List<String> notes) {
    }

    /** The keys cannot be known from the topic (a key in a form not looked up by, no such topic): compare whole. */
    static final class KeysUnknown extends Exception {
        KeysUnknown(String message) {
            super(message);
        }
    }

    private final TopicKeys topics;
    private final ControlSchema schema;
    private final String project;

    ChangedSince(TopicKeys topics, ControlSchema schema, String project) {
        this.topics = topics;
        this.schema = schema;
        this.project = project;
    }

    /** Why the table must be compared whole instead; null when its changed keys can be read. */
    String wholeBecause(TablePlan plan, Ledger.TableRow row, Long at) {
        if (!plan.keyed()) {
            return "no key: its changes cannot be looked up by key";
        }
        if (topics == null) {
            return "the project has no Kafka settings (kafka in the descriptor) to read its changes' keys from";
        }
        if (row.topic() == null) {
            return "the ledger does not name its topic yet";
        }
        return at == null ? "no iteration applied yet" : null;
    }

    Outcome run(TablePlan plan, SnapshotPairs pairs, Ledger.TableRow row, long since, long at, int cap)
            throws SQLException, KeysUnknown {
        if (since >= at) {
            return new Outcome(new RangeComparison.Outcome(0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, List.of(), 0), 0,
                    0, List.of());
        }
        Map<Integer, Long> after = pairs.call((t, s) -> Ledger.markerOffsets(t, schema, project, row.source(), row.topic(),
                since));
        Map<Integer, Long> before = row.full() ? pairs.call((t, s) -> Ledger.markerOffsets(t, schema, project,
                row.source(), row.topic(), at)) : Map.of();
        List<String> notes = new ArrayList<>();
        if (after.isEmpty()) {
            notes.add("the ledger has no marker " + since + " for it: its topic was read from the start");
        }
        TopicKeys.Collected collected;
        try {
            collected = topics.read(row.topic(), after, before,
                    plan.columns().subList(0, plan.keyCount()).stream().map(TablePlan.Column::source).toList());
        } catch (DataException e) {
            throw new KeysUnknown(e.getMessage());
        } catch (KafkaException e) {
            throw new SQLException("the keys changed since iteration " + since + " could not be read from "
                    + row.topic() + ": " + e.getMessage(), e);
        }
        notes.addAll(collected.notes());
        List<List<String>> keys = new ArrayList<>(collected.keys());
        return new Outcome(compare(plan, pairs, keys, cap), keys.size(), collected.records(), notes);
    }

    /** Each key's row on both sides, compared as the bisection compares a small range. */
    static RangeComparison.Outcome compare(TablePlan plan, SnapshotPairs pairs, List<List<String>> keys, int cap)
            throws SQLException {
        SideSql sourceSql = pairs.sourceSql();
        List<CompletableFuture<List<Difference>>> jobs = new ArrayList<>();
        long[] rows = new long[2];
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<List<String>> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            jobs.add(pairs.submit((t, s) -> {
                Map<String, String[]> source = ConfirmPass.byKeys(s, sourceSql, plan, false, pairs.scn(), chunk,
                        plan.keyMatch(sourceSql, false));
                Map<String, String[]> target = ConfirmPass.byKeys(t, SideSql.POSTGRES, plan, true, null, chunk,
                        plan.keyMatch(SideSql.POSTGRES, true));
                synchronized (rows) {
                    rows[0] += source.size();
                    rows[1] += target.size();
                }
                return RangeComparison.differences(plan, source, target);
            }));
        }
        List<Difference> found = new ArrayList<>();
        int differing = 0;
        for (CompletableFuture<List<Difference>> job : jobs) {
            List<Difference> d = SnapshotPairs.join(job);
            differing += d.isEmpty() ? 0 : 1;
            found.addAll(d);
        }
        return new RangeComparison.Outcome(rows[0], rows[1], jobs.size(), differing, BigDecimal.ZERO, BigDecimal.ZERO,
                found.subList(0, Math.min(cap, found.size())), found.size());
    }
}
