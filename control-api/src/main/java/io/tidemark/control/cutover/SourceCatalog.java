package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Reads the structure of the migrated tables from the source database's catalog. */
public interface SourceCatalog {

    /** @param tables the control schema's source table names, {@code SCHEMA.TABLE} */
    Structure read(Connection source, List<String> tables) throws SQLException;

    static SourceCatalog forUrl(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:oracle:") ? new OracleCatalog() : new PostgresCatalog();
    }
}
