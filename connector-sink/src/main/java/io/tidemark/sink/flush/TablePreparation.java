package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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

    /**
     * Prepares the tables of a flush that this connection has not prepared yet, all at once: claimed,
     * read from the catalog, created or evolved in one transaction under the DDL lock, each under a
     * savepoint of its own ({@link TableSynchronizer#synchronizeAll}), then their staging tables.
     * A thousand new tables cost a few round trips each, not a dozen and three transactions each.
     *
     * <p>Two source tables landing in one target table would mix their rows (and PostgreSQL would not
     * say so): the first one claims the target, the second stops with both names. With
     * {@code topics.regex} this cannot be seen in the configuration, so it is checked here, across
     * every task of the project, under the DDL lock.
     *
     * @return the tables that cannot be written, with the reason: each fails alone
     * @throws SQLException on a transient database error (the flush is retried)
     */
    Map<SourceTable, String> prepareAll(Collection<TableModel> models) throws SQLException {
        Map<SourceTable, String> failed = new LinkedHashMap<>();
        List<TableModel> fresh = models.stream().filter(m -> m != null && !preparedTypes.containsKey(m)).distinct()
                .toList();
        if (fresh.isEmpty()) {
            return failed;
        }
        Map<TableModel, TableSynchronizer.Prepared> prepared = synchronizer.synchronizeAll(connection, fresh,
                m -> control.claimTarget(connection, m.source().qualified(), m.target().toString()));
        for (Map.Entry<TableModel, TableSynchronizer.Prepared> e : prepared.entrySet()) {
            if (e.getValue().failure() != null) {
                failed.putIfAbsent(e.getKey().source(), e.getValue().failure());
            } else if (e.getValue().types() != null) { // null: deletes only, no table yet; looked at again next time
                applier.staging(e.getKey(), e.getValue().types());
                preparedTypes.put(e.getKey(), e.getValue().types());
            }
        }
        connection.commit(); // the staging tables: a rollback in the flush keeps them
        return failed;
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
     * One model, as {@link #prepareAll} prepares many.
     *
     * @throws TableDefinitionException when the table cannot take the model's rows, with the reason
     * @throws SQLException             on a transient database error (the flush is retried)
     */
    private void prepare(TableModel model) throws SQLException {
        if (model == null || preparedTypes.containsKey(model)) {
            return;
        }
        String failure;
        try {
            failure = prepareAll(List.of(model)).get(model.source());
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            throw new TableDefinitionException("cannot prepare table " + model.target() + ": " + SqlErrors.describe(e), e);
        }
        if (failure != null) {
            throw new TableDefinitionException(failure);
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
