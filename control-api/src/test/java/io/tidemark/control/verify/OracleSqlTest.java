package io.tidemark.control.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.SourceColumn;

/**
 * The SQL run on an Oracle source, as text (no Oracle runs on the build machines; the Oracle tests
 * that need one skip themselves without Docker): flashback as of marker N's SCN, the row hash both
 * sides share, key ranges without row-value comparison, and the error that names undo_retention.
 */
class OracleSqlTest {

    private static TablePlan plan() throws Exception {
        return new TablePlan("HR.EMP", "hr.emp", "FULL", "\"HR\".\"EMP\"", "\"hr\".\"emp\"", List.of(
                new TablePlan.Column("dept", "DEPT", false, CanonicalForms.oracle("integer", new SourceColumn("NUMBER", 9, 0))),
                new TablePlan.Column("id", "ID", false, CanonicalForms.oracle("bigint", new SourceColumn("NUMBER", 18, 0))),
                new TablePlan.Column("name", "NAME", true, CanonicalForms.oracle("character varying(40)",
                        new SourceColumn("VARCHAR2", 40, null)))), 2, List.of());
    }

    @Test
    void aRangeSummaryReadsTheSourceAsOfTheMarkersScn() throws Exception {
        TablePlan p = plan();
        String sql = SideSql.ORACLE.summary(p.sourceSql(), 4711L, p.canonicals(SideSql.ORACLE, false),
                p.orderedKeys(SideSql.ORACLE, false), true, true);
        assertThat(sql).isEqualTo("SELECT count(*), coalesce(sum(h), 0) FROM (SELECT TO_NUMBER(SUBSTR(RAWTOHEX("
                + "STANDARD_HASH(NVL2(TO_CHAR(\"DEPT\"), 'v' || TO_CHAR(\"DEPT\"), 'n') || CHR(31) || NVL2(TO_CHAR(\"ID\"),"
                + " 'v' || TO_CHAR(\"ID\"), 'n') || CHR(31) || NVL2(\"NAME\", 'v' || \"NAME\", 'n'), 'MD5')), 1, 15),"
                + " 'XXXXXXXXXXXXXXX') AS h FROM \"HR\".\"EMP\" AS OF SCN 4711 WHERE ((\"DEPT\" > ?) OR (\"DEPT\" = ?"
                + " AND \"ID\" >= ?)) AND ((\"DEPT\" < ?) OR (\"DEPT\" = ? AND \"ID\" < ?))) s");
        assertThat(SideSql.ORACLE.parameterOrder(2)).containsExactly(0, 0, 1);
    }

    @Test
    void theTargetComputesTheSameRowTextWithPostgresFunctions() throws Exception {
        TablePlan p = plan();
        assertThat(SideSql.POSTGRES.summary(p.targetSql(), null, p.canonicals(SideSql.POSTGRES, true),
                p.orderedKeys(SideSql.POSTGRES, true), true, false)).isEqualTo("SELECT count(*), coalesce(sum(h), 0)"
                + " FROM (SELECT ('x' || substr(md5(concat_ws(chr(31), coalesce('v' || (\"dept\"::text), 'n'),"
                + " coalesce('v' || (\"id\"::text), 'n'), coalesce('v' || (NULLIF(\"name\", '')), 'n'))), 1, 15))::bit(60)"
                + "::bigint AS h FROM \"hr\".\"emp\" WHERE (\"dept\", \"id\") >= (?, ?)) s");
    }

    @Test
    void undoTooShortIsAnErrorThatNamesUndoRetention() {
        SQLException e = Flashback.explain(new SQLException("ORA-01555: snapshot too old", "72000", 1555));
        assertThat(e.getMessage()).contains("ORA-01555").contains("undo_retention").contains("--iteration");
        assertThat(Flashback.explain(new SQLException("ORA-08180: no snapshot found based on specified time", "72000",
                8180)).getMessage()).contains("undo_retention");
        assertThat(Ledger.scnOf("123456789")).isEqualTo(123456789L);
        assertThat(Ledger.scnOf("0/16B3748")).isNull();
    }

    @Test
    void aRepairAsksDebeziumForAnIncrementalSnapshotOfTheDifferingKeysOnly() {
        Difference d = new Difference(List.of("10", "O'Brien"), "MISSING", List.of(), List.of(), List.of(), "OUT_OF_SYNC");
        String condition = Repair.condition(List.of("DEPT", "NAME"), List.of(d));
        assertThat(condition).isEqualTo("(\"DEPT\" = '10' AND \"NAME\" = 'O''Brien')");
        assertThat(Repair.signal("HR.EMP", condition)).isEqualTo("{\"data-collections\":[\"HR.EMP\"],\"type\":\"incremental\","
                + "\"additional-conditions\":[{\"data-collection\":\"HR.EMP\",\"filter\":\"(\\\"DEPT\\\" = '10' AND"
                + " \\\"NAME\\\" = 'O''Brien')\"}]}");
        assertThat(Repair.signalInsert("public.debezium_signal"))
                .isEqualTo("INSERT INTO public.debezium_signal (id, type, data) VALUES (?, 'execute-snapshot', ?)");
        // Oracle's signal.data.collection names the database (the PDB) too: the insert runs in it, by schema.table.
        assertThat(Repair.signalInsert("FREEPDB1.C##DBZUSER.DEBEZIUM_SIGNAL"))
                .isEqualTo("INSERT INTO C##DBZUSER.DEBEZIUM_SIGNAL (id, type, data) VALUES (?, 'execute-snapshot', ?)");
    }
}
