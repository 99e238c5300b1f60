package io.tidemark.control.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.control.store.ControlStore;
import io.tidemark.sink.control.ControlSchema;

/**
 * The bulk load's tables as its record ({@code <control>.bulk_load}) has them, while a load runs or
 * after one failed; nothing once every table is loaded (the tables' own rows take over).
 */
final class BulkLoadStatus {

    private BulkLoadStatus() {
    }

    static List<ProjectStatus.BulkLoadTable> read(Connection c, ControlSchema control, String project) throws SQLException {
        List<ProjectStatus.BulkLoadTable> tables = new ArrayList<>();
        if (control.version(c) < ControlStore.BULK_LOAD_VERSION) {
            return tables;
        }
        String t = control.table("bulk_load");
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, target_table, state, rows_loaded, "
                + "rows_estimated, extract(epoch FROM coalesce(finished_at, clock_timestamp()) - started_at)::float8, "
                + "error, started_at FROM " + t + " b WHERE project = ? AND EXISTS (SELECT 1 FROM " + t
                + " WHERE project = b.project AND state <> 'LOADED') ORDER BY source_table")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long loaded = rs.getLong(4);
                    Long estimated = rs.getObject(5, Long.class);
                    double seconds = rs.getDouble(6);
                    String state = rs.getString(3);
                    Double pace = seconds > 0 ? loaded / seconds : null;
                    Long eta = "LOADING".equals(state) && estimated != null && estimated > loaded && pace != null
                            && pace > 0 ? (long) Math.ceil((estimated - loaded) / pace) : null;
                    tables.add(new ProjectStatus.BulkLoadTable(rs.getString(1), rs.getString(2), state, loaded,
                            estimated == null || estimated < 0 ? null : estimated, pace, eta, rs.getString(7),
                            rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return tables;
    }
}
