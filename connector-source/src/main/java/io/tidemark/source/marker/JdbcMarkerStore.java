package io.tidemark.source.marker;

import static io.tidemark.source.marker.MarkerColumns.ACTION;
import static io.tidemark.source.marker.MarkerColumns.CREATED_TS_MS;
import static io.tidemark.source.marker.MarkerColumns.HANDLED_AT;
import static io.tidemark.source.marker.MarkerColumns.ITERATION;
import static io.tidemark.source.marker.MarkerColumns.IS_FINAL;
import static io.tidemark.source.marker.MarkerColumns.REASON;
import static io.tidemark.source.marker.MarkerColumns.REQUEST_ID;
import static io.tidemark.source.marker.MarkerColumns.STREAM_NAME;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.source.marker.MarkerRow.Reason;

/** {@link MarkerStore} over JDBC, on one connection that is opened on first use and again after a failure. */
public final class JdbcMarkerStore implements MarkerStore {

    /** Opens a connection to the source database (the same one Debezium reads). */
    @FunctionalInterface
    public interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(JdbcMarkerStore.class);

    private final ConnectionOpener opener;
    private final MarkerDialect dialect;
    private final MarkerTables tables;
    private Connection connection;

    public JdbcMarkerStore(ConnectionOpener opener, MarkerDialect dialect, MarkerTables tables) {
        this.opener = opener;
        this.dialect = dialect;
        this.tables = tables;
    }

    @Override
    public Optional<MarkerRow> lastMarker(String streamName) throws SQLException {
        String sql = "SELECT " + ITERATION + ", " + IS_FINAL + ", " + REASON + ", " + CREATED_TS_MS
                + " FROM " + tables.qualifiedMarkerTable() + " WHERE " + STREAM_NAME + " = ? ORDER BY " + ITERATION + " DESC";
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setMaxRows(1);
                ps.setString(1, streamName);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new MarkerRow(rs.getLong(1), streamName, rs.getBoolean(2),
                            Reason.valueOf(rs.getString(3)), rs.getLong(4)));
                }
            }
        });
    }

    @Override
    public boolean hasPendingRequest(String streamName) throws SQLException {
        String sql = "SELECT " + REQUEST_ID + " FROM " + tables.qualifiedRequestTable()
                + " WHERE " + STREAM_NAME + " = ? AND " + ITERATION + " IS NULL";
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setMaxRows(1);
                ps.setString(1, streamName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Optional<MarkerRow> writeMarker(String streamName, Reason due, long nowMs) throws SQLException {
        return inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(dialect.lockMarkerTable(tables));
            }
            List<Long> requests = new ArrayList<>();
            boolean isFinal = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + REQUEST_ID + ", " + ACTION + " FROM "
                    + tables.qualifiedRequestTable() + " WHERE " + STREAM_NAME + " = ? AND " + ITERATION + " IS NULL"
                    + " ORDER BY " + REQUEST_ID)) {
                ps.setString(1, streamName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        requests.add(rs.getLong(1));
                        isFinal |= "FINAL".equalsIgnoreCase(rs.getString(2));
                    }
                }
            }
            if (requests.isEmpty() && due == null) {
                return Optional.empty();
            }
            long iteration;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.nextIterationQuery(tables))) {
                rs.next();
                iteration = rs.getLong(1);
            }
            MarkerRow row = new MarkerRow(iteration, streamName, isFinal, requests.isEmpty() ? due : Reason.REQUEST, nowMs);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + tables.qualifiedMarkerTable() + " ("
                    + ITERATION + ", " + STREAM_NAME + ", " + IS_FINAL + ", " + REASON + ", " + CREATED_TS_MS
                    + ") VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, row.iteration());
                ps.setString(2, streamName);
                dialect.bindFinal(ps, 3, row.isFinal());
                ps.setString(4, row.reason().name());
                ps.setLong(5, row.createdTsMs());
                ps.executeUpdate();
            }
            if (!requests.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + tables.qualifiedRequestTable() + " SET "
                        + ITERATION + " = ?, " + HANDLED_AT + " = CURRENT_TIMESTAMP WHERE " + REQUEST_ID + " = ?")) {
                    for (long request : requests) {
                        ps.setLong(1, iteration);
                        ps.setLong(2, request);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return Optional.of(row);
        });
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        Connection c = connection();
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackAndForget();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = opener.open();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    // After any failure the connection is dropped: the next call starts on a fresh one.
    private void rollbackAndForget() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback after a failed marker statement failed too", e);
        }
        close();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the marker connection failed", e);
            }
            connection = null;
        }
    }
}
