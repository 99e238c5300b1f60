package io.tidemark.control.cutover;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The structure of the migrated tables from Oracle's data dictionary ({@code ALL_TAB_COLUMNS},
 * {@code ALL_TAB_IDENTITY_COLS}, {@code ALL_CONSTRAINTS}, {@code ALL_CONS_COLUMNS},
 * {@code ALL_INDEXES}, {@code ALL_IND_COLUMNS}, {@code ALL_SEQUENCES}), read per table into
 * {@link OracleRows} and turned into a {@link Structure} by {@link OracleRows#structure}, which
 * tests drive without an Oracle. The user needs SELECT on those views (the source connector's
 * user has it: docs/oracle.md).
 */
public final class OracleCatalog implements SourceCatalog {

    // DATA_DEFAULT is a LONG: selected last but one and read in column order, as the driver streams it.
    static final String COLUMNS = "SELECT c.COLUMN_NAME, c.NULLABLE, c.IDENTITY_COLUMN, c.DATA_DEFAULT"
            + " FROM ALL_TAB_COLUMNS c WHERE c.OWNER = ? AND c.TABLE_NAME = ? ORDER BY c.COLUMN_ID";
    static final String IDENTITIES = "SELECT i.COLUMN_NAME, i.GENERATION_TYPE, s.LAST_NUMBER, s.INCREMENT_BY"
            + " FROM ALL_TAB_IDENTITY_COLS i JOIN ALL_SEQUENCES s ON s.SEQUENCE_OWNER = i.OWNER"
            + " AND s.SEQUENCE_NAME = i.SEQUENCE_NAME WHERE i.OWNER = ? AND i.TABLE_NAME = ?";
    static final String CONSTRAINTS = "SELECT k.CONSTRAINT_NAME, k.CONSTRAINT_TYPE, k.SEARCH_CONDITION_VC, k.R_OWNER,"
            + " k.R_CONSTRAINT_NAME, k.DELETE_RULE, k.INDEX_NAME, k.GENERATED, rk.TABLE_NAME"
            + " FROM ALL_CONSTRAINTS k LEFT JOIN ALL_CONSTRAINTS rk ON rk.OWNER = k.R_OWNER"
            + " AND rk.CONSTRAINT_NAME = k.R_CONSTRAINT_NAME"
            + " WHERE k.OWNER = ? AND k.TABLE_NAME = ? AND k.CONSTRAINT_TYPE IN ('P', 'U', 'C', 'R') ORDER BY k.CONSTRAINT_NAME";
    static final String CONSTRAINT_COLUMNS = "SELECT cc.OWNER, cc.CONSTRAINT_NAME, cc.COLUMN_NAME"
            + " FROM ALL_CONS_COLUMNS cc WHERE cc.OWNER = ? AND cc.CONSTRAINT_NAME IN (SELECT CONSTRAINT_NAME FROM ALL_CONSTRAINTS"
            + " WHERE OWNER = ? AND TABLE_NAME = ?) ORDER BY cc.CONSTRAINT_NAME, cc.POSITION";
    static final String REFERENCED_COLUMNS = "SELECT cc.OWNER, cc.CONSTRAINT_NAME, cc.COLUMN_NAME FROM ALL_CONS_COLUMNS cc"
            + " WHERE cc.OWNER = ? AND cc.CONSTRAINT_NAME = ? ORDER BY cc.POSITION";
    static final String INDEXES = "SELECT i.INDEX_NAME, i.UNIQUENESS, i.INDEX_TYPE FROM ALL_INDEXES i"
            + " WHERE i.TABLE_OWNER = ? AND i.TABLE_NAME = ? ORDER BY i.INDEX_NAME";
    static final String INDEX_COLUMNS = "SELECT ic.INDEX_NAME, ic.COLUMN_NAME, ic.DESCEND FROM ALL_IND_COLUMNS ic"
            + " WHERE ic.TABLE_OWNER = ? AND ic.TABLE_NAME = ? ORDER BY ic.INDEX_NAME, ic.COLUMN_POSITION";
    static final String SEQUENCES = "SELECT s.SEQUENCE_NAME, s.LAST_NUMBER, s.INCREMENT_BY, s.MIN_VALUE, s.MAX_VALUE,"
            + " s.CYCLE_FLAG FROM ALL_SEQUENCES s WHERE s.SEQUENCE_OWNER = ? AND s.SEQUENCE_NAME NOT LIKE 'ISEQ$$%'"
            + " ORDER BY s.SEQUENCE_NAME";

    @Override
    public Structure read(Connection c, List<String> tables) throws SQLException {
        OracleRows rows = new OracleRows();
        List<String> owners = new ArrayList<>();
        for (String table : tables) {
            String owner = table.substring(0, table.indexOf('.'));
            String name = table.substring(table.indexOf('.') + 1);
            if (!owners.contains(owner)) {
                owners.add(owner);
            }
            query(c, COLUMNS, rs -> rows.columns.add(new OracleRows.Column(table, rs.getString(1), "N".equals(rs.getString(2)),
                    "YES".equals(rs.getString(3)), rs.getString(4))), owner, name);
            query(c, IDENTITIES, rs -> rows.identities.add(new OracleRows.IdentityRow(table, rs.getString(1),
                    "ALWAYS".equals(rs.getString(2)), number(rs, 3), number(rs, 4))), owner, name);
            List<OracleRows.ConstraintRow> constraints = new ArrayList<>();
            query(c, CONSTRAINTS, rs -> constraints.add(new OracleRows.ConstraintRow(table, rs.getString(1), rs.getString(2),
                    rs.getString(3), rs.getString(4) == null ? null : rs.getString(4) + "." + rs.getString(9),
                    rs.getString(5), rs.getString(6), rs.getString(7), "GENERATED NAME".equals(rs.getString(8)))), owner, name);
            rows.constraints.addAll(constraints);
            query(c, CONSTRAINT_COLUMNS, rs -> rows.constraintColumns.add(new OracleRows.ConstraintColumn(rs.getString(1),
                    rs.getString(2), rs.getString(3))), owner, owner, name);
            for (OracleRows.ConstraintRow k : constraints) {
                if ("R".equals(k.type())) {
                    String rOwner = k.referencedTable().substring(0, k.referencedTable().indexOf('.'));
                    query(c, REFERENCED_COLUMNS, rs -> rows.constraintColumns.add(new OracleRows.ConstraintColumn(
                            rs.getString(1), rs.getString(2), rs.getString(3))), rOwner, k.referencedConstraint());
                }
            }
            query(c, INDEXES, rs -> rows.indexes.add(new OracleRows.IndexRow(table, rs.getString(1),
                    "UNIQUE".equals(rs.getString(2)), rs.getString(3))), owner, name);
            query(c, INDEX_COLUMNS, rs -> rows.indexColumns.add(new OracleRows.IndexColumn(table, rs.getString(1),
                    rs.getString(2), "DESC".equals(rs.getString(3)))), owner, name);
        }
        for (String owner : owners) {
            query(c, SEQUENCES, rs -> rows.sequences.add(new OracleRows.SequenceRow(owner, rs.getString(1), number(rs, 2),
                    number(rs, 3), number(rs, 4), number(rs, 5), "Y".equals(rs.getString(6)))), owner);
        }
        return rows.structure(tables);
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Row row, String... binds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                ps.setString(i + 1, binds[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    /** Oracle's NUMBER, or null beyond a bigint (a sequence's default MAXVALUE is 28 nines: PostgreSQL's default then). */
    private static Long number(ResultSet rs, int column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        if (value == null || value.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        return value.longValueExact();
    }
}
