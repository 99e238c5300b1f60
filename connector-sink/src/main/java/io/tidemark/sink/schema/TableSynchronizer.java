package io.tidemark.sink.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.naming.TargetTable;

/**
 * Makes a target table fit a {@link TableModel} before any row is written: creates it (with the
 * primary key and nothing else, as a migration target should be loaded) or validates the
 * existing one (columns present, types that hold the values, a unique key for {@code ON CONFLICT}),
 * adding columns the source gained when allowed.
 *
 * <p>Runs outside the data transaction, under an advisory lock per table, so that tasks creating
 * the same table at once do not collide.
 */
public final class TableSynchronizer {

    private static final Logger LOG = LoggerFactory.getLogger(TableSynchronizer.class);

    private final boolean autoCreate;
    private final boolean autoEvolve;

    public TableSynchronizer(boolean autoCreate, boolean autoEvolve) {
        this.autoCreate = autoCreate;
        this.autoEvolve = autoEvolve;
    }

    /**
     * Creates, evolves or validates the table for the model, in a transaction of its own.
     *
     * @return the PostgreSQL type of each model column as the table has it (staging tables copy these)
     * @throws TableDefinitionException when the table cannot take the model's rows, with the reason
     */
    public Map<String, String> synchronize(Connection connection, TableModel model) throws SQLException {
        TargetTable target = model.target();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            lock(connection, target);
            Optional<ExistingTable> existing = ExistingTable.read(connection, target);
            if (existing.isEmpty()) {
                if (model.keyOnly()) {
                    connection.rollback();
                    return null; // only deletes so far: nothing to delete from, nothing to create from
                }
                if (!autoCreate) {
                    throw new TableDefinitionException("target table " + target + " does not exist and "
                            + "table.auto.create is false: create it, or set table.auto.create=true");
                }
                create(connection, model);
                existing = ExistingTable.read(connection, target);
            }
            Map<String, String> types = validateAndEvolve(connection, model, existing.orElseThrow());
            connection.commit();
            return types;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void lock(Connection connection, TargetTable target) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext(" + Identifiers.literal("tidemark:" + target) + "))");
        }
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
