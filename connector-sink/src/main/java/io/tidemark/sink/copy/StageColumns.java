package io.tidemark.sink.copy;

/**
 * The bookkeeping columns of a FULL table's durable stage (beside the table's own columns): the
 * iteration a row belongs to, whether it is a delete, which columns its change did not carry, and
 * its Kafka partition. Here, below both, because the fill of unavailable values reads the stage
 * ({@link UnavailableFill}) and the stage ({@code iteration.DurableStage}) writes it.
 */
public final class StageColumns {

    public static final String ITERATION = "__tidemark_iteration";
    public static final String DELETE = "__tidemark_delete";
    public static final String UNAVAILABLE = "__tidemark_unavailable";
    public static final String PARTITION = "__tidemark_partition";

    private StageColumns() {
    }
}
