package io.tidemark.sink.batch;

/**
 * Where a table's changes go in a flush, and to which iteration they belong: into the target
 * (PARTIAL tables, and a FULL table's snapshot, iteration 0), or into the table's durable staging
 * table, to be applied with the whole iteration (a FULL table from iteration 1 on).
 *
 * @param partition for a staged route, the Kafka partition the changes came from (staged rows say
 *                  which partition staged them, so a partition's progress can be dropped alone); -1 otherwise
 */
public record Route(boolean staged, long iteration, int partition) {

    public static Route target(long iteration) {
        return new Route(false, iteration, -1);
    }

    public static Route stage(long iteration, int partition) {
        return new Route(true, iteration, partition);
    }
}
