package io.tidemark.source.marker;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.source.marker.MarkerDialect.Step;

/**
 * Creates the marker sequence, marker table and request table in the source database where they
 * are missing. A failure stops the connector with the statement, the database's error and what to
 * grant.
 */
public final class MarkerTableSetup {

    private static final Logger LOG = LoggerFactory.getLogger(MarkerTableSetup.class);

    private final MarkerDialect dialect;
    private final MarkerTables tables;
    private final String user;

    public MarkerTableSetup(MarkerDialect dialect, MarkerTables tables, String user) {
        this.dialect = dialect;
        this.tables = tables;
        this.user = user;
    }

    /** Runs what is missing; returns the statements it ran. */
    public List<String> ensure(Connection connection) {
        List<String> ran = new ArrayList<>();
        try {
            connection.setAutoCommit(true);
            if (!dialect.schemaExists(connection, tables.schema())) {
                List<String> create = dialect.createSchema(tables);
                if (create.isEmpty()) {
                    throw new ConnectException("The " + dialect.databaseName() + " schema " + tables.schema()
                            + " (iteration.schema) does not exist or is not visible to " + user
                            + ": create it, or choose an existing one such as the connector's own user");
                }
                run(connection, Step.CREATE_SCHEMA, create, ran);
            }
            if (!dialect.sequenceExists(connection, tables.schema(), tables.sequence())) {
                run(connection, Step.CREATE_SEQUENCE, dialect.createSequence(tables), ran);
            }
            if (!dialect.tableExists(connection, tables.schema(), tables.markerTable())) {
                run(connection, Step.CREATE_MARKER_TABLE, dialect.createMarkerTable(tables), ran);
            }
            addChangeCapture(connection, ran);
            if (!dialect.tableExists(connection, tables.schema(), tables.requestTable())) {
                run(connection, Step.CREATE_REQUEST_TABLE, dialect.createRequestTable(tables), ran);
            }
        } catch (SQLException e) {
            throw new ConnectException("Cannot look up the marker objects in " + tables.schema() + " as " + user
                    + ": " + e.getMessage(), e);
        }
        if (!ran.isEmpty()) {
            LOG.info("Created the marker objects in {}: {}", tables.schema(), ran);
        }
        return ran;
    }

    /**
     * Supplemental logging for an existing marker table that lacks it. The marker rows are inserts,
     * whose redo holds every column anyway (Debezium only warns about the log group), so a user who
     * may not add it gets a warning naming the statement, and the connector starts.
     */
    private void addChangeCapture(Connection connection, List<String> ran) throws SQLException {
        try {
            run(connection, Step.SUPPLEMENTAL_LOGGING, dialect.missingChangeCapture(connection, tables), ran);
        } catch (ConnectException e) {
            LOG.warn("The marker table {} has no ALL COLUMNS supplemental log group and {} cannot add it ({}). Marker rows"
                    + " are inserts, which LogMiner reads whole without it, so the connector goes on; Debezium will warn"
                    + " about the table at streaming start. To silence that, a DBA runs: {}", tables.qualifiedMarkerTable(),
                    user, e.getCause() == null ? e.getMessage() : e.getCause().getMessage(),
                    String.join("; ", dialect.missingChangeCapture(connection, tables)));
        }
    }

    private void run(Connection connection, Step step, List<String> statements, List<String> ran) {
        for (String sql : statements) {
            try (Statement st = connection.createStatement()) {
                st.execute(sql);
                ran.add(sql);
            } catch (SQLException e) {
                throw failure(step, sql, e);
            }
        }
    }

    private ConnectException failure(Step step, String sql, SQLException e) {
        String advice = dialect.advice(step, e, user, tables);
        StringBuilder message = new StringBuilder("Tidemark cannot set up its marker objects in ")
                .append(dialect.databaseName()).append(" as ").append(user).append(": ")
                .append(sql).append(" failed: ").append(e.getMessage().strip()).append(". ");
        if (advice != null) {
            message.append("Grant what is missing: ").append(advice).append(". ");
        }
        message.append("Or create the objects beforehand with the DDL in docs/source.md (")
                .append(String.join("; ", allDdl())).append(").");
        return new ConnectException(message.toString(), e);
    }

    /** Every statement that creates the marker objects, as a DBA would run them. */
    public List<String> allDdl() {
        List<String> all = new ArrayList<>(dialect.createSchema(tables));
        all.addAll(dialect.createSequence(tables));
        all.addAll(dialect.createMarkerTable(tables));
        all.addAll(dialect.createRequestTable(tables));
        return all;
    }
}
