package io.tidemark.source.marker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Catalog look-ups shared by the dialects. */
final class CatalogQuery {

    private CatalogQuery() {
    }

    /** True when the query, with the arguments bound as strings, returns a row. */
    static boolean exists(Connection connection, String query, String... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
