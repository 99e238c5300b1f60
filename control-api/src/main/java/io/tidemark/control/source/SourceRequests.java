package io.tidemark.control.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import io.tidemark.control.ControlException;
import io.tidemark.control.project.DatabasePool;
import io.tidemark.control.project.Project;

/**
 * Asks the source for a marker through its request table (docs/source.md): {@code CLOSE} closes the
 * current iteration now, {@code FINAL} closes it as the last of a soft stop. The source's marker
 * writer handles a request within {@code iteration.request.poll.interval.ms} and writes the id of
 * the marker that answered it into the row. Same SQL for Oracle and PostgreSQL: the names are
 * unquoted identifiers, as the source creates them.
 */
public final class SourceRequests {

    public enum Action { CLOSE, FINAL }

    /** The marker that answered a request, once handled. */
    public record Handled(long iteration) {
    }

    private final DatabasePool database;
    private final Project.RequestTable table;

    public SourceRequests(DatabasePool database, Project.RequestTable table) {
        this.database = database;
        this.table = table;
    }

    /** @return the request's id */
    public long request(Action action) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.qualified() + " (stream_name, action)"
                     + " VALUES (?, ?)", new String[] {database.settings().isOracle() ? "REQUEST_ID" : "request_id"})) {
            ps.setString(1, table.stream());
            ps.setString(2, action.name());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("cannot insert a " + action + " request into " + table.qualified(), e);
        }
    }

    public Optional<Handled> handled(long requestId) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT iteration FROM " + table.qualified()
                     + " WHERE request_id = ? AND handled_at IS NOT NULL")) {
            ps.setLong(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Handled(rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read request " + requestId + " from " + table.qualified(), e);
        }
    }

    /** Requests of the stream the source has not handled yet. */
    public long pending() {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table.qualified()
                     + " WHERE stream_name = ? AND handled_at IS NULL")) {
            ps.setString(1, table.stream());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if (missingTable(e)) {
                return 0; // the source has not created its request table yet
            }
            throw failure("cannot read the pending requests from " + table.qualified(), e);
        }
    }

    /** A marker row of the stream: its id and whether it closed a soft stop's last iteration. */
    public record Marker(long iteration, boolean isFinal) {
    }

    /** The stream's last marker, if the source has written one. */
    public Optional<Marker> lastMarker() {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT iteration, is_final FROM " + table.qualifiedMarkerTable()
                     + " WHERE stream_name = ? ORDER BY iteration DESC FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, table.stream());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Marker(rs.getLong(1), rs.getBoolean(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            if (missingTable(e)) {
                return Optional.empty(); // the source has not created its marker table yet
            }
            throw failure("cannot read the last marker from " + table.qualifiedMarkerTable(), e);
        }
    }

    /** Whether the stream's last marker was a final one: the writer then writes no interval markers until a CLOSE. */
    public boolean lastMarkerWasFinal() {
        return lastMarker().map(Marker::isFinal).orElse(false);
    }

    /** PostgreSQL's undefined_table, Oracle's ORA-00942. */
    private static boolean missingTable(SQLException e) {
        return "42P01".equals(e.getSQLState()) || e.getErrorCode() == 942;
    }

    private ControlException failure(String what, SQLException e) {
        return new ControlException(ControlException.Kind.UNAVAILABLE, what + " (" + database.settings() + "): "
                + DatabasePool.describe(e) + ". The control API needs INSERT and SELECT on the request table and SELECT on "
                + "the marker table (docs/source.md), and sourceDatabase in the project descriptor");
    }
}
