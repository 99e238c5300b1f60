package io.tidemark.control.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Oracle's dictionary queries and what the cutover makes of their rows, on expected text: no
 * Oracle runs here (rows are written as ALL_* views give them; {@code OracleCutoverIT} runs the
 * queries against Oracle Free where Docker answers).
 */
class OracleCatalogTest {

    @Test
    void theQueriesReadTheDictionaryViewsTheCutoverNeeds() {
        assertThat(OracleCatalog.COLUMNS).isEqualTo("SELECT c.COLUMN_NAME, c.NULLABLE, c.IDENTITY_COLUMN, c.DATA_DEFAULT"
                + " FROM ALL_TAB_COLUMNS c WHERE c.OWNER = ? AND c.TABLE_NAME = ? ORDER BY c.COLUMN_ID");
        assertThat(OracleCatalog.CONSTRAINTS).startsWith("SELECT k.CONSTRAINT_NAME, k.CONSTRAINT_TYPE, k.SEARCH_CONDITION_VC,")
                .contains("FROM ALL_CONSTRAINTS k LEFT JOIN ALL_CONSTRAINTS rk ON rk.OWNER = k.R_OWNER")
                .endsWith("AND k.CONSTRAINT_TYPE IN ('P', 'U', 'C', 'R') ORDER BY k.CONSTRAINT_NAME");
        assertThat(OracleCatalog.CONSTRAINT_COLUMNS).contains("FROM ALL_CONS_COLUMNS cc").endsWith("ORDER BY cc.CONSTRAINT_NAME,"
                + " cc.POSITION");
        assertThat(OracleCatalog.INDEXES).isEqualTo("SELECT i.INDEX_NAME, i.UNIQUENESS, i.INDEX_TYPE FROM ALL_INDEXES i"
                + " WHERE i.TABLE_OWNER = ? AND i.TABLE_NAME = ? ORDER BY i.INDEX_NAME");
        assertThat(OracleCatalog.INDEX_COLUMNS).isEqualTo("SELECT ic.INDEX_NAME, ic.COLUMN_NAME, ic.DESCEND FROM"
                + " ALL_IND_COLUMNS ic WHERE ic.TABLE_OWNER = ? AND ic.TABLE_NAME = ? ORDER BY ic.INDEX_NAME, ic.COLUMN_POSITION");
        assertThat(OracleCatalog.SEQUENCES).contains("FROM ALL_SEQUENCES s WHERE s.SEQUENCE_OWNER = ?")
                .contains("NOT LIKE 'ISEQ$$%'");
        assertThat(OracleCatalog.IDENTITIES).contains("ALL_TAB_IDENTITY_COLS");
    }

    @Test
    void dictionaryRowsBecomeTheStructureWithTheRestListedForHandReview() {
        OracleRows rows = new OracleRows();
        List<String> tables = List.of("SALES.ORDERS", "SALES.ORDER_LINE");
        rows.columns.add(new OracleRows.Column("SALES.ORDERS", "ID", true, true, "\"SALES\".\"ISEQ$$_7\".nextval"));
        rows.columns.add(new OracleRows.Column("SALES.ORDERS", "STATUS", true, false, "'NEW'\n"));
        rows.columns.add(new OracleRows.Column("SALES.ORDERS", "NOTE", false, false, "NULL "));
        rows.identities.add(new OracleRows.IdentityRow("SALES.ORDERS", "ID", false, 1021L, 1L));
        rows.constraints.add(new OracleRows.ConstraintRow("SALES.ORDERS", "SYS_C0012", "C", "\"STATUS\" IS NOT NULL", null,
                null, null, null, true));
        rows.constraints.add(new OracleRows.ConstraintRow("SALES.ORDERS", "ORDERS_STATUS_CK", "C",
                "STATUS IN ('NEW','PAID')", null, null, null, null, false));
        rows.constraints.add(new OracleRows.ConstraintRow("SALES.ORDERS", "ORDERS_PK", "P", null, null, null, null,
                "ORDERS_PK", false));
        rows.constraints.add(new OracleRows.ConstraintRow("SALES.ORDERS", "ORDERS_NO_UK", "U", null, null, null, null,
                "ORDERS_NO_IX", false));
        rows.constraints.add(new OracleRows.ConstraintRow("SALES.ORDER_LINE", "LINE_ORDER_FK", "R", null, "SALES.ORDERS",
                "ORDERS_PK", "CASCADE", null, false));
        rows.constraints.add(new OracleRows.ConstraintRow("SALES.ORDER_LINE", "LINE_PRODUCT_FK", "R", null, "REF.PRODUCTS",
                "PRODUCTS_PK", "NO ACTION", null, false));
        rows.constraintColumns.add(new OracleRows.ConstraintColumn("SALES", "ORDERS_NO_UK", "REGION"));
        rows.constraintColumns.add(new OracleRows.ConstraintColumn("SALES", "ORDERS_NO_UK", "ORDER_NO"));
        rows.constraintColumns.add(new OracleRows.ConstraintColumn("SALES", "ORDERS_PK", "ID"));
        rows.constraintColumns.add(new OracleRows.ConstraintColumn("SALES", "LINE_ORDER_FK", "ORDER_ID"));
        rows.indexes.add(new OracleRows.IndexRow("SALES.ORDERS", "ORDERS_PK", true, "NORMAL"));
        rows.indexes.add(new OracleRows.IndexRow("SALES.ORDERS", "ORDERS_NO_IX", true, "NORMAL"));
        rows.indexes.add(new OracleRows.IndexRow("SALES.ORDERS", "ORDERS_STATUS_BX", false, "BITMAP"));
        rows.indexes.add(new OracleRows.IndexRow("SALES.ORDERS", "ORDERS_UPPER_IX", false, "FUNCTION-BASED NORMAL"));
        rows.indexColumns.add(new OracleRows.IndexColumn("SALES.ORDERS", "ORDERS_STATUS_BX", "STATUS", false));
        rows.indexColumns.add(new OracleRows.IndexColumn("SALES.ORDERS", "ORDERS_UPPER_IX", "SYS_NC00005$", false));
        rows.sequences.add(new OracleRows.SequenceRow("SALES", "INVOICE_SEQ", 5001L, 1L, 1L, null, false));

        Structure s = rows.structure(tables);

        assertThat(s.notNulls()).extracting(Structure.NotNull::column).containsExactly("ID", "STATUS");
        assertThat(s.defaults()).containsExactly(new Structure.ColumnDefault("SALES.ORDERS", "STATUS", "'NEW'"));
        assertThat(s.identities()).containsExactly(new Structure.Identity("SALES.ORDERS", "ID", false, 1021, 1));
        assertThat(s.checks()).extracting(Structure.Check::name).containsExactly("ORDERS_STATUS_CK");
        assertThat(s.indexes()).extracting(i -> i.name() + (i.constraint() ? " constraint " : " ") + i.keys().stream()
                .map(Structure.IndexKey::column).toList()).containsExactly("ORDERS_NO_UK constraint [REGION, ORDER_NO]",
                "ORDERS_STATUS_BX [STATUS]");
        assertThat(s.foreignKeys()).containsExactly(new Structure.ForeignKey("SALES.ORDER_LINE", "LINE_ORDER_FK",
                List.of("ORDER_ID"), "SALES.ORDERS", List.of("ID"), "CASCADE", "NO ACTION"));
        assertThat(s.unread()).extracting(h -> h.what() + ": " + h.reason()).containsExactly(
                "foreign key LINE_PRODUCT_FK: it references REF.PRODUCTS, which is not a table of this project",
                "index ORDERS_UPPER_IX (FUNCTION-BASED NORMAL): its keys are expressions (ALL_IND_EXPRESSIONS) or DESC "
                        + "columns, not translated");
        assertThat(s.sequences()).containsExactly(new Structure.Sequence("SALES", "INVOICE_SEQ", 5001, 1, 1L, null, false,
                null, null));
    }
}
