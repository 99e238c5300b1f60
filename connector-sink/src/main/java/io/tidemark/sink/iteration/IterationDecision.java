package io.tidemark.sink.iteration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.DesiredStates;

/**
 * Whether iteration N is complete, decided from what the ledger and the control schema say, with
 * no database in sight (the coordinator reads the {@link Facts}, then acts on the {@link Outcome}).
 *
 * <ul>
 * <li>The <em>members</em> of iteration N are the active tables (not stopped, not aborted) that are
 *     in the stream at N: a table is in it from its first marker on, and, until iteration 0 is
 *     complete, a table of the connector's {@code topics} list is in it before any marker of its
 *     own (a task got its partitions late, its topic appeared late), so that the FULL tables never
 *     start from different markers.</li>
 * <li>A member is <em>past</em> N when all its partitions passed marker N. The partitions to wait
 *     for come from the topics (the markers say how many partitions their topic has), or, for
 *     markers that do not say, from the partitions the tasks registered.</li>
 * <li>The <em>FULL members</em> are the FULL members that passed N−1 everywhere (a table catching
 *     up after a stop takes part from a later iteration, its staged changes with it). When all of
 *     them are past N, and iteration N−1 was applied to the FULL tables, iteration N is applied to
 *     them in one transaction. Never earlier: while N−1 is open its FULL members are not past N−1
 *     everywhere yet, so N would find no FULL member and count as applied without them.</li>
 * <li>The iteration is <em>complete</em> when every member is past N and the FULL members have
 *     it.</li>
 * </ul>
 */
public final class IterationDecision {

    /** A table of the project as the control schema has it. */
    public record TableRow(String source, String target, ConsistencyMode mode, DesiredStates.Accepted accepted,
                           TableStatus status) {
        boolean active() {
            return !accepted.leavesIterations() && status != TableStatus.ERROR_ABORTED;
        }
    }

    /** How many partitions of a table passed a marker, and how many the table has (0: the markers do not say). */
    public record Passed(long partitions, long partitionCount) {
    }

    /**
     * What the decision needs to know.
     *
     * @param fullyApplied   the FULL tables have iteration N already (their transaction committed)
     * @param previousFullyApplied the FULL tables have iteration N−1 already (true for N = 0, or when
     *                       the ledger has no iteration N−1)
     * @param passedN        per table, the partitions past marker N
     * @param passedBefore   per table, the partitions past marker N−1 (empty for N = 0)
     * @param assigned       per table, the partitions the tasks registered
     * @param firstMarkers   per table, the first marker any of its partitions passed
     * @param snapshotApplied iteration 0 is complete
     * @param configured     the tables of the connector's {@code topics} list
     */
    public record Facts(long iteration, boolean fullyApplied, boolean previousFullyApplied, Collection<TableRow> tables, Map<String, Passed> passedN,
                        Map<String, Passed> passedBefore, Map<String, Long> assigned, Map<String, Long> firstMarkers,
                        boolean snapshotApplied, Set<String> configured) {
    }

    /**
     * What to do.
     *
     * @param members     the tables in iteration N
     * @param fullMembers the FULL tables that take part in its one transaction
     * @param applyFull   apply N to the FULL members now (all of them are past N, N−1 was applied, N was not)
     * @param past        the members past N (their part of the iteration is complete)
     * @param waiting     for each member not past N, what it waits for, in words
     */
    public record Outcome(List<TableRow> members, List<TableRow> fullMembers, boolean applyFull, List<TableRow> past,
                          List<String> waiting) {

        /** Complete once every member is past N and the FULL members have N (or get it now). */
        public boolean complete(boolean fullyApplied) {
            return waiting.isEmpty() && (fullyApplied || applyFull) && !members.isEmpty();
        }
    }

    private IterationDecision() {
    }

    public static Outcome decide(Facts f) {
        long n = f.iteration();
        // Only while a configured table has passed no marker does it matter whether iteration 0 is complete.
        boolean unseenConfigured = f.configured().stream().anyMatch(t -> !f.firstMarkers().containsKey(t));
        boolean snapshotOpen = unseenConfigured && (n == 0 || !f.snapshotApplied());
        List<TableRow> members = new ArrayList<>();
        List<TableRow> full = new ArrayList<>();
        List<TableRow> past = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        boolean fullReady = true;
        for (TableRow t : f.tables()) {
            boolean expected = snapshotOpen && !f.firstMarkers().containsKey(t.source())
                    && f.configured().contains(t.source());
            if (!t.active() || (!expected && f.firstMarkers().getOrDefault(t.source(), Long.MAX_VALUE) > n)) {
                continue;
            }
            members.add(t);
            long total = partitionCount(t.source(), f);
            long passed = f.passedN().containsKey(t.source()) ? f.passedN().get(t.source()).partitions() : 0;
            boolean isPast = total > 0 && passed >= total;
            if (isPast) {
                past.add(t);
            } else {
                waiting.add(t.source() + " (" + passed + " of " + (total == 0 ? "?" : total)
                        + " partitions past marker " + n + ")");
            }
            boolean fullMember = n == 0 || expected || (f.passedBefore().containsKey(t.source())
                    && f.passedBefore().get(t.source()).partitions() >= total);
            if (fullMember && t.mode() == ConsistencyMode.FULL) {
                full.add(t);
                fullReady &= isPast;
            }
        }
        return new Outcome(members, full, fullReady && !f.fullyApplied() && f.previousFullyApplied(), past, waiting);
    }

    private static long partitionCount(String table, Facts f) {
        long fromMarkers = Math.max(f.passedN().containsKey(table) ? f.passedN().get(table).partitionCount() : 0,
                f.passedBefore().containsKey(table) ? f.passedBefore().get(table).partitionCount() : 0);
        return fromMarkers > 0 ? fromMarkers : f.assigned().getOrDefault(table, 0L);
    }
}
