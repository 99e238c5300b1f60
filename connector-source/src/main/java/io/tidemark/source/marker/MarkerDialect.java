package io.tidemark.source.marker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import org.apache.kafka.connect.data.Struct;

import io.tidemark.source.config.IterationConfig;

/**
 * What differs between source databases for the marker objects: identifier folding, DDL, catalog
 * look-ups, how to take the next id, how to read a change event's position, and which privilege a
 * failed statement lacked.
 */
public interface MarkerDialect {

    /** The steps of setting up and writing markers, so that an error can say what to grant. */
    enum Step {
        CREATE_SCHEMA, CREATE_SEQUENCE, CREATE_MARKER_TABLE, CREATE_REQUEST_TABLE, SUPPLEMENTAL_LOGGING, WRITE_MARKER
    }

    /** "Oracle" or "PostgreSQL", for messages. */
    String databaseName();

    /** An unquoted identifier as the database stores it. */
    String fold(String identifier);

    default MarkerTables tables(IterationConfig config) {
        return new MarkerTables(fold(config.schema()), fold(config.table()), fold(config.sequence()),
                fold(config.requestTable()));
    }

    boolean schemaExists(Connection connection, String schema) throws SQLException;

    boolean tableExists(Connection connection, String schema, String table) throws SQLException;

    boolean sequenceExists(Connection connection, String schema, String sequence) throws SQLException;

    /** Statements that create the schema; empty where the connector cannot create one (an Oracle schema is a user). */
    List<String> createSchema(MarkerTables tables);

    List<String> createSequence(MarkerTables tables);

    List<String> createMarkerTable(MarkerTables tables);

    List<String> createRequestTable(MarkerTables tables);

    /** Statements still needed so that the existing marker table's changes reach the change stream. */
    List<String> missingChangeCapture(Connection connection, MarkerTables tables) throws SQLException;

    /** A query returning one row, one column: the next iteration id from the sequence. */
    String nextIterationQuery(MarkerTables tables);

    /** Binds the marker row's final flag as the marker table's column type wants it. */
    default void bindFinal(PreparedStatement statement, int index, boolean isFinal) throws SQLException {
        statement.setBoolean(index, isFinal);
    }

    /** Serialises marker writers, so that ids follow commit order even when a stale task still writes. */
    String lockMarkerTable(MarkerTables tables);

    /** What to grant (or do) when {@code step} failed with {@code error}; null when the error is not about privileges. */
    String advice(Step step, SQLException error, String user, MarkerTables tables);

    /** True when the error is worth retrying (lost connection, deadlock, serialisation failure). */
    boolean isTransient(SQLException error);

    /** The position of a change event in the source's change stream (Oracle SCN, PostgreSQL LSN), from its source block. */
    String sourcePosition(Struct source);
}
