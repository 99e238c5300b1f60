package io.tidemark.control.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.control.actions.Progress;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.SinkPrecheck;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The restore against real PostgreSQL databases: a source with the structure a shop has (secondary,
 * unique, expression and partial indexes, composite foreign keys, CHECK, NOT NULL, defaults, a
 * serial, an identity column and a free sequence) and a target loaded as the sink loads one (columns
 * and primary key only, the data). After the restore the target's catalog equals the source's.
 */
class StructureRestoreTest {

    static final List<String> TABLES = List.of("depot.customer", "depot.orders", "depot.order_line");

    private PostgresTestDatabase source;
    private PostgresTestDatabase target;
    private StructureRestore restore;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void databases() throws Exception {
        source = PostgresTestDatabase.create("cutover_src");
        target = PostgresTestDatabase.create("cutover_tgt");
        source.execute(DepotSchema.SOURCE);
        target.execute(DepotSchema.TARGET);
        for (String table : TABLES) {
            copy(source, target, table);
        }
        SinkPrecheck sink = new SinkPrecheck(Map.of("connection.url", target.jdbcUrl(), "project.name", "depot"));
        restore = new StructureRestore(settings(source), settings(target), sink, 2);
    }

    @AfterEach
    void drop() {
        source.close();
        target.close();
    }

    static DatabaseSettings settings(PostgresTestDatabase db) {
        return new DatabaseSettings(db.jdbcUrl(), db.user(), db.password());
    }

    @Test
    void afterTheRestoreTheTargetsCatalogMatchesTheSourcesAndItsDataIsUntouched() throws Exception {
        List<String> dataBefore = data(target);
        RestorePlan plan = restore.plan(TABLES);
        assertThat(plan.handReview()).isEmpty();

        RestoreExecutor.Result result = restore.run(plan, progress::add);

        assertThat(result.failure()).as(String.valueOf(result.failure())).isNull();
        assertThat(DepotSchema.catalog(target)).isEqualTo(DepotSchema.catalog(source));
        assertThat(data(target)).isEqualTo(dataBefore).isEqualTo(data(source));
        // Inserting through the restored identity, serial and sequence collides with nothing migrated.
        target.execute("INSERT INTO depot.orders (region, customer_no, order_no) VALUES ('EU', 1, 1001)",
                "INSERT INTO depot.order_line (region, order_no, qty, sku) VALUES ('EU', 1001, 2, 'new')");
        assertThat(target.count("SELECT id FROM depot.orders WHERE order_no = 1001")).isEqualTo(121);
        assertThat(target.count("SELECT line_id FROM depot.order_line WHERE sku = 'new'")).isEqualTo(301);
        assertThat(target.count("SELECT nextval('depot.invoice_seq')")).isEqualTo(1015);
        assertThat(restore.plan(TABLES).statements()).as("a rerun finds everything in place").isEmpty();
    }

    @Test
    void thePlanChangesNothing() throws Exception {
        Map<String, List<String>> before = DepotSchema.catalog(target);
        RestorePlan plan = restore.plan(TABLES);
        assertThat(plan.sql()).contains("CREATE UNIQUE INDEX CONCURRENTLY \"customer_email_uk\" ON \"depot\".\"customer\""
                + " USING btree ((lower(\"email\"))) WHERE (\"email\" IS NOT NULL)");
        assertThat(DepotSchema.catalog(target)).isEqualTo(before);
    }

    @Test
    void aForeignKeyTheDataViolatesStopsItsStepWithTheTableAndTheReasonAndARerunAfterTheFixCompletes() throws Exception {
        target.execute("INSERT INTO depot.order_line VALUES (9999, 'EU', 777, 1, 'orphan')");

        RestoreExecutor.Result first = restore.run(restore.plan(TABLES), progress::add);

        assertThat(first.failure()).isNotNull();
        assertThat(first.failure().table()).isEqualTo("depot.order_line");
        assertThat(first.failure().sql()).isEqualTo("ALTER TABLE \"depot\".\"order_line\" VALIDATE CONSTRAINT \"line_order_fk\"");
        assertThat(first.failure().error()).contains("23503", "line_order_fk", "(region, order_no)=(EU, 777)");
        assertThat(first.steps()).extracting(RestoreExecutor.StepResult::status).containsExactly("done", "done", "done",
                "done", "done", "done", "failed");

        target.execute("DELETE FROM depot.order_line WHERE line_id = 9999");
        RestorePlan rerun = restore.plan(TABLES);
        // It goes on where it stopped: the failed VALIDATE, then the foreign key the failure kept from running.
        assertThat(rerun.statements()).extracting(RestorePlan.Statement::sql).containsExactly(
                "ALTER TABLE \"depot\".\"order_line\" VALIDATE CONSTRAINT \"line_order_fk\"",
                "ALTER TABLE \"depot\".\"orders\" ADD CONSTRAINT \"orders_customer_fk\" FOREIGN KEY (\"region\", \"customer_no\")"
                        + " REFERENCES \"depot\".\"customer\" (\"region\", \"customer_no\") NOT VALID",
                "ALTER TABLE \"depot\".\"orders\" VALIDATE CONSTRAINT \"orders_customer_fk\"");
        RestoreExecutor.Result second = restore.run(rerun, progress::add);
        assertThat(second.ok()).isTrue();
        Map<String, List<String>> restored = new java.util.HashMap<>(DepotSchema.catalog(target));
        Map<String, List<String>> expected = new java.util.HashMap<>(DepotSchema.catalog(source));
        // The serial went past the row the test put in (line_id 9999), not to the source's next value.
        assertThat(restored.remove("next values")).contains("depot.order_line_line_id_seq 10000");
        expected.remove("next values");
        assertThat(restored).isEqualTo(expected);
    }

    static List<String> data(PostgresTestDatabase db) {
        List<String> rows = new ArrayList<>();
        rows.addAll(db.rowsAsText("SELECT * FROM depot.customer ORDER BY region, customer_no"));
        rows.addAll(db.rowsAsText("SELECT * FROM depot.orders ORDER BY id"));
        rows.addAll(db.rowsAsText("SELECT * FROM depot.order_line ORDER BY line_id"));
        return rows;
    }

    /** The sink's load, in short: every row of the source table into the target table of the same name. */
    static void copy(PostgresTestDatabase from, PostgresTestDatabase to, String table) throws Exception {
        try (Connection s = from.connect(); Connection t = to.connect();
             PreparedStatement read = s.prepareStatement("SELECT * FROM " + table); ResultSet rs = read.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            String marks = String.join(", ", java.util.Collections.nCopies(md.getColumnCount(), "?"));
            try (PreparedStatement write = t.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
                while (rs.next()) {
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        write.setObject(i, rs.getObject(i));
                    }
                    write.addBatch();
                }
                write.executeBatch();
            }
        }
    }

    static Progress print() {
        return line -> System.out.println("[cutover] " + line);
    }
}
