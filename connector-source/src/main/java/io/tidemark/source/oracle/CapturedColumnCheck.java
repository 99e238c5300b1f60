package io.tidemark.source.oracle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.debezium.relational.TableId;
import io.debezium.relational.Tables.TableFilter;

/**
 * Columns of the captured tables whose values would not reach the target, found in the catalog at
 * connector start and named in warnings: columns of types Debezium's Oracle connector does not carry
 * (its documentation's "Unsupported data types": it leaves the column out of its events, or cannot
 * parse the table's DDL), LOB columns while {@code lob.enabled} is false, and tables or columns
 * whose names are too long for LogMiner to capture at all.
 */
public final class CapturedColumnCheck {

    /** Debezium 3.6's Oracle documentation, "Unsupported data types" (as {@code ALL_TAB_COLUMNS.DATA_TYPE} names them). */
    public static final Set<String> NOT_CARRIED = Set.of("BFILE", "BOOLEAN", "LONG", "LONG RAW", "UROWID", "VECTOR");
    static final Set<String> LOBS = Set.of("BLOB", "CLOB", "NCLOB");

    /** One row of {@code ALL_TAB_COLUMNS}. */
    public record CatalogColumn(String owner, String table, String column, String dataType) {
    }

    static final String QUERY = "SELECT c.OWNER, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE FROM ALL_TAB_COLUMNS c"
            + " JOIN ALL_TABLES t ON t.OWNER = c.OWNER AND t.TABLE_NAME = c.TABLE_NAME"
            + " JOIN ALL_USERS u ON u.USERNAME = c.OWNER AND u.ORACLE_MAINTAINED = 'N'"
            + " WHERE c.DATA_TYPE IN (" + quoted(NOT_CARRIED) + ", " + quoted(LOBS) + ")"
            + " OR LENGTH(c.TABLE_NAME) > " + OracleSettings.LOGMINER_MAX_NAME_LENGTH
            + " OR LENGTH(c.COLUMN_NAME) > " + OracleSettings.LOGMINER_MAX_NAME_LENGTH
            + " ORDER BY c.OWNER, c.TABLE_NAME, c.COLUMN_ID";

    private final TableFilter captured;
    private final String catalog;
    private final boolean lobEnabled;

    /**
     * @param captured   Debezium's table filter of the connector
     * @param catalog    the PDB (or database) name Debezium puts in its table ids
     * @param lobEnabled Debezium's {@code lob.enabled}
     */
    public CapturedColumnCheck(TableFilter captured, String catalog, boolean lobEnabled) {
        this.captured = captured;
        this.catalog = catalog;
        this.lobEnabled = lobEnabled;
    }

    /** The warnings for the captured tables of the database {@code connection} is in (the PDB). */
    public List<String> warnings(Connection connection) throws SQLException {
        List<CatalogColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(QUERY); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                columns.add(new CatalogColumn(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return warnings(columns);
    }

    /** One warning per captured table and kind of loss, naming the columns. */
    public List<String> warnings(List<CatalogColumn> columns) {
        Map<TableId, List<CatalogColumn>> byTable = new LinkedHashMap<>();
        for (CatalogColumn column : columns) {
            TableId id = new TableId(catalog, column.owner(), column.table());
            if (captured.isIncluded(id)) {
                byTable.computeIfAbsent(id, t -> new ArrayList<>()).add(column);
            }
        }
        List<String> warnings = new ArrayList<>();
        byTable.forEach((id, tableColumns) -> {
            String table = id.schema() + "." + id.table();
            if (id.table().length() > OracleSettings.LOGMINER_MAX_NAME_LENGTH) {
                warnings.add("Captured table " + table + " has a name longer than " + OracleSettings.LOGMINER_MAX_NAME_LENGTH
                        + " characters: LogMiner does not capture it, so none of its changes after the snapshot reach the"
                        + " target. Rename it, or leave it out of the migration.");
                return;
            }
            String longNames = describe(tableColumns, c -> c.column().length() > OracleSettings.LOGMINER_MAX_NAME_LENGTH);
            if (!longNames.isEmpty()) {
                warnings.add("Captured table " + table + " has columns with names longer than "
                        + OracleSettings.LOGMINER_MAX_NAME_LENGTH + " characters (" + longNames + "): LogMiner does not"
                        + " capture the table, so none of its changes after the snapshot reach the target. Rename them.");
            }
            String notCarried = describe(tableColumns, c -> NOT_CARRIED.contains(c.dataType()));
            if (!notCarried.isEmpty()) {
                warnings.add("Captured table " + table + " has columns of types Debezium's Oracle connector does not carry: "
                        + notCarried + ". Their values never reach the target (Debezium leaves them out of its events, or"
                        + " cannot read the table's DDL; docs/types.md, \"Oracle types Debezium does not carry\"). Change"
                        + " their types in the source, or leave the table out of the migration.");
            }
            String lobs = lobEnabled ? "" : describe(tableColumns, c -> LOBS.contains(c.dataType()));
            if (!lobs.isEmpty()) {
                warnings.add("Captured table " + table + " has LOB columns (" + lobs + "), but lob.enabled is false:"
                        + " Debezium leaves their values out of its change events. Set lob.enabled=true.");
            }
        });
        return warnings;
    }

    private static String describe(List<CatalogColumn> columns, Predicate<CatalogColumn> which) {
        return columns.stream().filter(which).map(c -> c.column() + " " + c.dataType()).collect(Collectors.joining(", "));
    }

    private static String quoted(Set<String> names) {
        return names.stream().sorted().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }
}
