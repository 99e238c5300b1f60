package io.tidemark.sink.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.naming.NameCase;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Many new tables prepared at once ({@link TableSynchronizer#synchronizeAll}) on a real PostgreSQL:
 * one transaction, each table's DDL under a savepoint of its own, targets claimed across tasks.
 */
class BulkPreparationTest {

    private static final Schema KEY = SchemaBuilder.struct().field("ID", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().field("ID", Schema.INT64_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ROW_GROWN = SchemaBuilder.struct().field("ID", Schema.INT64_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA).field("CITY", Schema.OPTIONAL_STRING_SCHEMA).build();

    private static PostgresTestDatabase db;
    private final ControlSchema control = new ControlSchema("tidemark");
    private final TableSynchronizer synchronizer = new TableSynchronizer(true, true);

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("bulkprep");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() throws Exception {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
        try (Connection c = db.connect()) {
            control.ensure(c);
        }
    }

    /** A task's models: each task maps its own tables (a collision across tasks shows only at the claim). */
    private static TableModels task() {
        return new TableModels(new NameMapper(NameCase.LOWER, null, Map.of(), Map.of(), Map.of()),
                ColumnTypes.standard());
    }

    private static TableModel model(TableModels models, String table, Schema row) {
        return models.model(SourceTable.fromTopic("ora.HR." + table), KEY, row);
    }

    private Map<TableModel, TableSynchronizer.Prepared> prepare(Connection c, String task, List<TableModel> models)
            throws Exception {
        ControlTables claims = new ControlTables(control, "proj", "sink", task);
        return synchronizer.synchronizeAll(c, models,
                m -> claims.claimTarget(c, m.source().qualified(), m.target().toString()));
    }

    @Test
    void preparesABatchOfNewTablesAtOnce() throws Exception {
        TableModels models = task();
        List<TableModel> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(model(models, "T" + i, ROW));
        }
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            Map<TableModel, TableSynchronizer.Prepared> prepared = prepare(c, "0", batch);
            assertThat(prepared).hasSize(40);
            assertThat(prepared.values()).allSatisfy(p -> {
                assertThat(p.failure()).isNull();
                assertThat(p.types()).containsEntry("id", "bigint").containsEntry("name", "text");
            });
        }
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'hr'")).isEqualTo(40);
        assertThat(db.count("SELECT count(*) FROM tidemark.table_state WHERE target_claimed")).isEqualTo(40);
    }

    @Test
    void namesThatDifferOnlyInCaseClaimOneTargetAndTheSecondFailsAlone() throws Exception {
        TableModel first = model(task(), "Emp", ROW);
        TableModel second = model(task(), "EMP", ROW); // another task's table, lower-cased to the same target
        TableModel other = model(task(), "DEPT", ROW);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            Map<TableModel, TableSynchronizer.Prepared> prepared = prepare(c, "0", List.of(first, second, other));
            assertThat(prepared.get(first).failure()).isNull();
            assertThat(prepared.get(other).failure()).isNull();
            assertThat(prepared.get(second).failure())
                    .contains("HR.Emp", "HR.EMP", "both map to table hr.emp", "table.rename");
        }
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'hr'")).isEqualTo(2);
    }

    @Test
    void namesLongerThanPostgresKeepsAreRefusedNotTruncatedIntoOneTable() {
        String stem = "A_VERY_LONG_TABLE_NAME_THAT_PASSES_THE_SIXTY_THREE_BYTE_LIMIT_";
        TableModels models = task();
        // Truncated to 63 bytes both would be the same table; each is refused with the limit instead.
        assertThatThrownBy(() -> model(models, stem + "ONE", ROW)).isInstanceOf(TableDefinitionException.class)
                .hasMessageContaining("at most 63");
        assertThatThrownBy(() -> model(models, stem + "TWO", ROW)).isInstanceOf(TableDefinitionException.class)
                .hasMessageContaining("at most 63");
    }

    @Test
    void aTableThatCannotBePreparedFailsAloneAndTheOthersCommit() throws Exception {
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.bad (id bigint PRIMARY KEY, name text, must int NOT NULL)",
                "CREATE VIEW hr.looks AS SELECT 1 AS id");
        TableModels models = task();
        TableModel good = model(models, "GOOD", ROW);
        TableModel bad = model(models, "BAD", ROW);
        TableModel view = model(models, "LOOKS", ROW);
        TableModel after = model(models, "AFTER", ROW);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            Map<TableModel, TableSynchronizer.Prepared> prepared = prepare(c, "0", List.of(good, bad, view, after));
            assertThat(prepared.get(bad).failure()).contains("column must is NOT NULL without a default");
            assertThat(prepared.get(view).failure()).contains("hr.looks exists but is not a table");
            assertThat(prepared.get(good).failure()).isNull();
            assertThat(prepared.get(after).failure()).isNull();
        }
        assertThat(db.rowsAsText("SELECT tablename FROM pg_tables WHERE schemaname = 'hr' ORDER BY 1"))
                .containsExactly("after", "bad", "good");
    }

    @Test
    void aRestartAfterPartialPreparationTakesUpWhatExists() throws Exception {
        TableModels before = task();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            prepare(c, "0", List.of(model(before, "A", ROW), model(before, "B", ROW)));
        }
        // The task restarts (new models, new connection); its batch has the tables it made, one grown, and a new one.
        TableModels after = task();
        TableModel a = model(after, "A", ROW);
        TableModel b = model(after, "B", ROW_GROWN);
        TableModel c3 = model(after, "C", ROW);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            Map<TableModel, TableSynchronizer.Prepared> prepared = prepare(c, "0", List.of(a, b, c3));
            assertThat(prepared.values()).allSatisfy(p -> assertThat(p.failure()).isNull());
            assertThat(prepared.get(b).types()).containsEntry("city", "text");
        }
        assertThat(db.rowsAsText("SELECT table_name || '.' || column_name FROM information_schema.columns "
                + "WHERE table_schema = 'hr' ORDER BY 1")).containsExactly("a.id", "a.name", "b.city", "b.id",
                "b.name", "c.id", "c.name");
    }
}
