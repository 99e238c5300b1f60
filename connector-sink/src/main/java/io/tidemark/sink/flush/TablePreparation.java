package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.copy.TableApplier;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.iteration.DurableStage;
import io.tidemark.sink.iteration.StageDirectory;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.schema.TableDefinitionException;
import io.tidemark.sink.schema.TableModel;
import io.tidemark.sink.schema.TableSynchronizer;

/**
 * Gets a target table ready for a model before a flush writes to it, each step in a transaction
 * of its own (DDL under the synchronizer's lock): the target may not be claimed by another source
 * table of the project, the table is created, checked or evolved, and the connection's staging
 * table for it exists. Remembers what it prepared, per model, for the connection's life.
 */
final class TablePreparation {

    private final Connection connection;
    private final TableSynchronizer synchronizer;
    private final TableApplier applier;
    private final ControlTables control;
    private final ControlSchema controlSchema;
    /** Target column types per model, once the table is known to fit. */
    private final Map<TableModel, Map<String, String>> preparedTypes = new IdentityHashMap<>();
    /** The durable stage of a FULL table's model, with the stage's columns, once it is ready. */
    private final Map<TableModel, PreparedStage> stages = new IdentityHashMap<>();

    private record PreparedStage(DurableStage stage, List<String> columns) {
    }

    TablePreparation(Connection connection, TableSynchronizer synchronizer, TableApplier applier,
                     ControlTables control, ControlSchema controlSchema) {
        this.connection = connection;
        this.synchronizer = synchronizer;
        this.applier = applier;
        this.control = control;
        this.controlSchema = controlSchema;
    }

    /**
     * Prepares the table and, for changes to be staged, the FULL table's durable stage (created or
     * given the model's new columns under the DDL lock).
     */
    void prepare(TableModel model, boolean staged) throws SQLException {
        prepare(model);
        if (!staged || model == null || stages.containsKey(model) || !preparedTypes.containsKey(model)) {
            return;
        }
        Map<String, String> types = preparedTypes.get(model);
        DurableStage stage = new DurableStage(controlSchema, model.target());
        try {
            List<String> columns = synchronizer.underDdlLock(connection, () -> {
                stage.ensure(connection, control.project(), model.source().qualified(), model, types);
                return List.copyOf(stage.columns(connection).keySet());
            });
            stages.put(model, new PreparedStage(stage, columns));
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            throw new TableDefinitionException("cannot prepare the staging table of FULL table " + model.source()
                    + ": " + SqlErrors.describe(e), e);
        }
    }

    /** A truncate of a FULL table, staged for {@code iteration} (see {@link StageDirectory#truncate}). */
    void stageTruncate(SourceTable source, TargetTable target, long iteration) throws SQLException {
        new StageDirectory(controlSchema, control.project()).truncate(connection, source.qualified(),
                new DurableStage(controlSchema, target), iteration);
    }

    DurableStage stage(TableModel model) {
        return stages.get(model).stage();
    }

    List<String> stageColumns(TableModel model) {
        return stages.get(model).columns();
    }

    /**
     * @throws TableDefinitionException when the table cannot take the model's rows, with the reason
     * @throws SQLException             on a transient database error (the flush is retried)
     */
    private void prepare(TableModel model) throws SQLException {
        if (model == null || preparedTypes.containsKey(model)) {
            return;
        }
        try {
            claimTarget(model);
            Map<String, String> types = synchronizer.synchronize(connection, model);
            if (types == null) {
                return; // no table yet (deletes only): look again next time, it may exist by then
            }
            applier.staging(model, types); // created now, committed: a rollback in the flush keeps it
            connection.commit();
            preparedTypes.put(model, types);
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            throw new TableDefinitionException("cannot prepare table " + model.target() + ": " + SqlErrors.describe(e), e);
        }
    }

    /**
     * Two source tables landing in one target table would mix their rows (and PostgreSQL would not
     * say so): the first one keeps the target, the second stops with both names. With
     * {@code topics.regex} this cannot be seen in the configuration, so it is checked here, across
     * every task of the project, under the DDL lock.
     */
    private void claimTarget(TableModel model) throws SQLException {
        String target = model.target().toString();
        String other = synchronizer.underDdlLock(connection,
                () -> control.claimTarget(connection, model.source().qualified(), target));
        if (other != null) {
            throw new TableDefinitionException("tables " + other + " and " + model.source() + " both map to table "
                    + target + ": give one of them another name with table.rename (e.g. " + model.source()
                    + ":" + model.target().name() + "_2)");
        }
    }

    /** The target's column types for a prepared model, or null when it has no table yet. */
    Map<String, String> types(TableModel model) {
        return preparedTypes.get(model);
    }

    /** Forgets what was prepared for the table, so it is looked at again (after it failed). */
    void forget(SourceTable table) {
        preparedTypes.keySet().removeIf(m -> m.source().equals(table));
        stages.keySet().removeIf(m -> m.source().equals(table));
    }
}
