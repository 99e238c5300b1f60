package io.tidemark.sink.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.naming.TargetTable;

/**
 * Makes a target table fit a {@link TableModel} before any row is written: creates it (with the
 * primary key and nothing else, as a migration target should be loaded) or validates the
 * existing one (columns present, types that hold the values, a unique key for {@code ON CONFLICT}),
 * adding columns the source gained when allowed.
 *
 * <p>Runs outside the data transaction, under one advisory lock for all DDL on the database, so that
 * tasks creating tables (and their schemas) at once do not collide.
 */
public final class TableSynchronizer {

    private static final Logger LOG = LoggerFactory.getLogger(TableSynchronizer.class);

    /** The advisory lock every Tidemark sink takes for DDL on a database. */
    static final String DDL_LOCK = "tidemark:ddl";
    private static final int RACE_ATTEMPTS = 3;

    private final boolean autoCreate;
    private final boolean autoEvolve;

    public TableSynchronizer(boolean autoCreate, boolean autoEvolve) {
        this.autoCreate = autoCreate;
        this.autoEvolve = autoEvolve;
    }

    /** Work done in a transaction of its own under the DDL lock. */
    public interface LockedWork<T> {
        T run() throws SQLException;
    }

    /**
     * What became of one model in {@link #synchronizeAll}: the target's column types (null while it
     * has no table and only deletes came), or why its rows cannot be written (then types is null).
     */
    public record Prepared(Map<String, String> types, String failure) {
        static Prepared failed(String reason) {
            return new Prepared(null, reason);
        }
    }

    /** Run first for each model, under the lock: the other source table that holds its target, or null. */
    public interface TargetClaim {
        String otherSource(TableModel model) throws SQLException;
    }

    /**
     * Makes the tables of many models fit, in one transaction under the DDL lock: claims their
     * targets, reads the catalog for all of them at once (and once more for the tables it created),
     * and runs each table's DDL under a savepoint of its own, so that a table that cannot be prepared
     * fails alone, with its reason, and the others commit. A batch of a thousand new tables costs a
     * few round trips per table (claim, create), not a dozen and a transaction each.
     *
     * @throws SQLException on a transient error (nothing is committed; the caller retries)
     */
    public Map<TableModel, Prepared> synchronizeAll(Connection connection, List<TableModel> models, TargetClaim claim)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return underDdlLock(connection, () -> synchronizeAllLocked(connection, models, claim));
            } catch (SQLException e) {
                if (attempt >= RACE_ATTEMPTS || !isDdlRace(e)) {
                    throw e;
                }
                LOG.info("DDL for {} tables raced with another session ({}); looking at them again", models.size(),
                        SqlErrors.describe(e));
            }
        }
    }

    private Map<TableModel, Prepared> synchronizeAllLocked(Connection connection, List<TableModel> models,
                                                           TargetClaim claim) throws SQLException {
        Map<TableModel, Prepared> result = new LinkedHashMap<>();
        List<TableModel> claimed = new ArrayList<>();
        for (TableModel model : models) {
            String other = claim.otherSource(model);
            if (other != null) {
                result.put(model, Prepared.failed("tables " + other + " and " + model.source() + " both map to table "
                        + model.target() + ": give one of them another name with table.rename (e.g. " + model.source()
                        + ":" + model.target().name() + "_2)"));
            } else {
                claimed.add(model);
            }
        }
        Map<TargetTable, ExistingTable> existing = ExistingTable.readAll(connection, targets(claimed));
        List<TableModel> created = new ArrayList<>();
        for (TableModel model : claimed) {
            if (existing.containsKey(model.target())) {
                continue;
            }
            if (model.keyOnly()) {
                result.put(model, new Prepared(null, null)); // only deletes so far: nothing to create from
            } else if (!autoCreate) {
                result.put(model, Prepared.failed("target table " + model.target() + " does not exist and "
                        + "table.auto.create is false: create it, or set table.auto.create=true"));
            } else {
                alone(connection, model, result, () -> {
                    create(connection, model);
                    created.add(model);
                });
            }
        }
        existing.putAll(ExistingTable.readAll(connection, targets(created)));
        for (TableModel model : claimed) {
            ExistingTable table = existing.get(model.target());
            if (result.containsKey(model)) {
                continue;
            }
            if (table == null) { // CREATE TABLE IF NOT EXISTS skipped it: a view or sequence has the name
                result.put(model, Prepared.failed(model.target() + " exists but is not a table: drop or rename it, "
                        + "or map " + model.source() + " elsewhere with table.rename"));
            } else {
                alone(connection, model, result, () -> result.put(model,
                        new Prepared(validateAndEvolve(connection, model, table), null)));
            }
        }
        return result;
    }

    private static List<TargetTable> targets(Collection<TableModel> models) {
        return models.stream().map(TableModel::target).distinct().toList();
    }

    private interface TableWork {
        void run() throws SQLException;
    }

    /** One table's DDL under a savepoint: its failure is its own, a race or a transient error everyone's. */
    private static void alone(Connection connection, TableModel model, Map<TableModel, Prepared> result, TableWork work)
            throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            work.run();
            connection.releaseSavepoint(savepoint);
        } catch (TableDefinitionException e) {
            connection.rollback(savepoint);
            result.put(model, Prepared.failed(e.getMessage()));
        } catch (SQLException e) {
            if (isDdlRace(e) || SqlErrors.isTransient(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            result.put(model, Prepared.failed("cannot prepare table " + model.target() + ": " + SqlErrors.describe(e)));
        }
    }

    /**
     * Runs the work in a transaction of its own that holds the database-wide DDL lock: every task of
     * every Tidemark sink on this database creates and alters tables one at a time. DDL is rare (once
     * per table and schema version), so the lock costs nothing in the steady state.
     */
    public <T> T underDdlLock(Connection connection, LockedWork<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(hashtext(" + Identifiers.literal(DDL_LOCK) + "))");
            }
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Errors of two sessions creating the same catalog object at once. */
    static boolean isDdlRace(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("23505") || state.equals("42P06") || state.equals("42P07")
                || state.equals("42701") || state.equals("42710"));
    }

    private void create(Connection connection, TableModel model) throws SQLException {
        TargetTable target = model.target();
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(target.quoted()).append(" (");
        for (ColumnModel column : model.columns()) {
            ddl.append("\n  ").append(column.quotedName()).append(' ').append(column.sqlType());
            if (column.key()) {
                ddl.append(" NOT NULL");
            }
            ddl.append(',');
        }
        ddl.append("\n  PRIMARY KEY (")
                .append(model.keyColumns().stream().map(ColumnModel::quotedName).collect(Collectors.joining(", ")))
                .append("))");
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(target.schema()));
            st.execute(ddl.toString());
        }
        LOG.info("Created table {} for {}", target, model.source());
    }

    private Map<String, String> validateAndEvolve(Connection connection, TableModel model, ExistingTable existing)
            throws SQLException {
        TargetTable target = model.target();
        List<String> problems = new ArrayList<>();
        List<ColumnModel> missing = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (ColumnModel column : model.columns()) {
            ExistingTable.Column actual = existing.columns().get(column.name());
            if (actual == null) {
                missing.add(column);
                continue;
            }
            String incompatibility = column.type().incompatibility(actual.type(), column.schema(), column.source());
            if (incompatibility != null) {
                problems.add("column " + column.name() + ": " + incompatibility);
            }
            types.put(column.name(), actual.type().formatted());
        }
        for (ColumnModel column : missing) {
            if (column.key() || !autoEvolve) {
                problems.add("column " + column.name() + " (field " + column.field().name() + ") is missing"
                        + (column.key() ? " and is part of the primary key" : " and table.auto.evolve is false"));
            }
        }
        Set<String> keyNames = model.keyColumns().stream().map(ColumnModel::name).collect(Collectors.toSet());
        if (!existing.uniqueKeys().contains(keyNames) && existing.columns().keySet().containsAll(keyNames)) {
            problems.add("no primary key or unique index on (" + String.join(", ", keyNames)
                    + "), which the upsert needs: ALTER TABLE " + target.quoted() + " ADD PRIMARY KEY ("
                    + model.keyColumns().stream().map(ColumnModel::quotedName).collect(Collectors.joining(", ")) + ")");
        }
        if (!model.keyOnly()) {
            Set<String> modelNames = new HashSet<>();
            model.columns().forEach(c -> modelNames.add(c.name()));
            existing.columns().values().stream()
                    .filter(c -> c.notNullWithoutDefault() && !modelNames.contains(c.name()))
                    .forEach(c -> problems.add("column " + c.name() + " is NOT NULL without a default, but the source "
                            + "has no such field: drop the constraint or give it a default"));
        }
        if (!problems.isEmpty()) {
            throw new TableDefinitionException("table " + target + " cannot take the rows of " + model.source() + ": "
                    + String.join("; ", problems));
        }
        if (!missing.isEmpty() && !model.keyOnly()) {
            try (Statement st = connection.createStatement()) {
                for (ColumnModel column : missing) {
                    st.execute("ALTER TABLE " + target.quoted() + " ADD COLUMN IF NOT EXISTS " + column.quotedName()
                            + ' ' + column.sqlType());
                    types.put(column.name(), column.sqlType());
                    LOG.info("Added column {} {} to {} (the source gained field {})", column.name(), column.sqlType(),
                            target, column.field().name());
                }
            }
        }
        return types;
    }
}
