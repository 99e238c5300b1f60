package io.tidemark.sink.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.tidemark.common.control.TableStatus;

/**
 * A table's status from the statuses of its partitions, which different tasks (on different
 * workers) write: the most severe wins, so no task's RUNNING can hide another's error. The reason
 * names the partitions (and tasks) that are not RUNNING.
 */
public final class TableStatusRollup {

    /** A partition's row in {@code partition_state}. */
    public record PartitionRow(String topic, int partition, TableStatus status, String reason, String task) {
        String name() {
            return topic + "-" + partition;
        }
    }

    /** The table's status and reason. */
    public record Rollup(TableStatus status, String reason) {
    }

    /** Most severe first. A table is WAITING only when all its partitions wait. */
    private static final List<TableStatus> SEVERITY = List.of(TableStatus.ERROR_ABORTED, TableStatus.ERROR_RETRIABLE,
            TableStatus.PAUSED, TableStatus.STOPPED, TableStatus.FINALIZING, TableStatus.RUNNING, TableStatus.WAITING);

    private TableStatusRollup() {
    }

    public static Rollup of(List<PartitionRow> rows) {
        if (rows.isEmpty()) {
            return new Rollup(TableStatus.RUNNING, null);
        }
        TableStatus worst = rows.stream().map(PartitionRow::status).min(Comparator.comparingInt(SEVERITY::indexOf))
                .orElseThrow();
        long running = rows.stream().filter(r -> r.status() == TableStatus.RUNNING).count();
        if (worst == TableStatus.RUNNING) {
            return new Rollup(worst, null);
        }
        if (rows.size() == 1 && rows.get(0).reason() != null) {
            return new Rollup(worst, rows.get(0).reason());
        }
        // Partitions with the same status and reason are named together.
        Map<String, List<PartitionRow>> groups = new LinkedHashMap<>();
        rows.stream().filter(r -> r.status() != TableStatus.RUNNING)
                .sorted(Comparator.comparingInt((PartitionRow r) -> SEVERITY.indexOf(r.status()))
                        .thenComparing(PartitionRow::topic).thenComparingInt(PartitionRow::partition))
                .forEach(r -> groups.computeIfAbsent(r.status() + "\u0000" + r.reason(), k -> new ArrayList<>()).add(r));
        List<String> parts = new ArrayList<>();
        groups.values().forEach(group -> {
            PartitionRow first = group.get(0);
            String names = group.stream().map(r -> r.name() + (r.task() == null ? "" : " (task " + r.task() + ")"))
                    .collect(Collectors.joining(", "));
            parts.add((group.size() == 1 ? "partition " : "partitions ") + names + " " + first.status()
                    + (first.reason() == null ? "" : ": " + first.reason()));
        });
        String summary = running + " of " + rows.size() + " partitions RUNNING";
        return new Rollup(worst, String.join("; ", parts) + "; " + summary);
    }
}
