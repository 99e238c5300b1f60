package io.tidemark.sink.batch;

import java.util.List;

import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.flush.ErrorPolicies;
import io.tidemark.sink.flush.TableRowsApplier;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.record.BadRecordException;
import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.record.ChangeEventReader;
import io.tidemark.sink.record.ValueSizes;
import io.tidemark.sink.schema.TableDefinitionException;
import io.tidemark.sink.schema.TableModels;

/**
 * Reads a record into the pending batch as changes, markers or a flagged record. A record that
 * cannot be read, whatever is wrong with it, is an error for its table under the table's error
 * policy, never a failure of the task: a malformed record must not stop the other tables.
 */
public final class RecordIntake {

    private static final Logger LOG = LoggerFactory.getLogger(RecordIntake.class);

    /**
     * What became of a record: taken (and, for a marker record, the marker), or the reason its
     * table must stop.
     */
    public record Result(String stopReason, IterationMarker marker) {
        static final Result TAKEN = new Result(null, null);

        static Result stop(String reason) {
            return new Result(reason, null);
        }

        public boolean taken() {
            return stopReason == null;
        }
    }

    private final ChangeEventReader reader = new ChangeEventReader();
    private final TableModels models;
    private final ErrorPolicies policies;
    private final UnavailableValues unavailable;
    private final long maxBytes;

    public RecordIntake(TableModels models, ErrorPolicies policies, UnavailableValues unavailable, long maxBytes) {
        this.models = models;
        this.policies = policies;
        this.unavailable = unavailable;
        this.maxBytes = maxBytes;
    }

    /** Reads the record into the batch; its changes take {@code route}. */
    public Result add(PendingBatch batch, SinkRecord record, SourceTable table, Route route, long nowMs) {
        List<ChangeEvent> changes;
        try {
            changes = reader.read(record);
        } catch (BadRecordException e) {
            return badRecord(batch, record, table, e.getMessage(), nowMs);
        } catch (DataException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            // A record whose shape contradicts its own schema (an op that is not a string, a key the
            // before image cannot fill, marker headers that are not numbers): as bad as any other.
            return badRecord(batch, record, table, "malformed record: " + describe(e), nowMs);
        }
        long bytes = 0;
        for (ChangeEvent change : changes) {
            bytes += change.row() != null ? ValueSizes.of(change.row()) : change.key() != null ? ValueSizes.of(change.key()) : 0;
        }
        if (bytes > maxBytes) {
            // Buffered, it would fill the COPY buffer beyond the bound at every retry.
            return badRecord(batch, record, table, "the record's values are about " + bytes + " bytes, more than "
                    + PostgresSinkConfig.BATCH_MAX_BYTES + "=" + maxBytes + " allows in one batch: raise "
                    + PostgresSinkConfig.BATCH_MAX_BYTES + " to apply it", nowMs);
        }
        batch.addBytes(bytes);
        IterationMarker marker = null;
        try {
            for (ChangeEvent change : changes) {
                if (change.kind() == ChangeEvent.Kind.MARKER) {
                    batch.marker(table, record, change.marker(), nowMs);
                    marker = change.marker();
                } else {
                    batch.table(table, models.target(table), route).add(change, models, unavailable);
                }
            }
        } catch (TableDefinitionException e) {
            return Result.stop(e.getMessage());
        } catch (DataException | IllegalArgumentException | ClassCastException e) {
            return badRecord(batch, record, table, "malformed record: " + describe(e), nowMs);
        }
        batch.consumed(record, table, nowMs);
        return marker == null ? Result.TAKEN : new Result(null, marker);
    }

    private Result badRecord(PendingBatch batch, SinkRecord record, SourceTable table, String reason, long nowMs) {
        ErrorPolicy policy = policies.of(table);
        switch (policy) {
            case FAIL -> {
                return Result.stop("record " + TableRowsApplier.describe(record) + ": " + reason
                        + " (table.error.policy=fail)");
            }
            case SKIP -> LOG.warn("Skipped record {} of table {}: {} (table.error.policy=skip)",
                    TableRowsApplier.describe(record), table, reason);
            case FLAG -> batch.flag(table, record, reason);
            default -> throw new IllegalStateException("unknown policy " + policy);
        }
        batch.consumed(record, table, nowMs);
        return Result.TAKEN;
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
