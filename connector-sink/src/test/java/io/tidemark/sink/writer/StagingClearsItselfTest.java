package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The session's staging tables are emptied before each commit, by a delete while they are small and
 * by a truncate once they took {@code TableApplier.TRUNCATE_AFTER_ROWS} rows: no row staged in one
 * flush is applied again by a later one, whichever way its table was emptied.
 */
class StagingClearsItselfTest {

    private static PostgresTestDatabase db;
    private final AtomicLong offsets = new AtomicLong();
    private SinkWriter writer;
    private TestTable emp;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("staging");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void start() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
        writer = TestWriters.against(db).batchSize(50_000).start();
        emp = new TestTable("EMP", 0, offsets);
        writer.open(List.of(new TopicPartition(emp.topic, 0)));
    }

    @AfterEach
    void stop() {
        writer.stop();
    }

    private void apply(List<SinkRecord> records) {
        writer.put(records);
        writer.preCommit();
    }

    /** Updates (staged, then merged) of ids from..to, named {@code name}. */
    private List<SinkRecord> updates(long from, long to, String name) {
        List<SinkRecord> out = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            out.add(emp.update(emp.row(id, "old", null), emp.row(id, name, null)));
        }
        return out;
    }

    @Test
    void aRowStagedInOneFlushIsNotAppliedAgainByTheNext() {
        apply(updates(1, 3, "a"));
        db.execute("UPDATE hr.emp SET name = 'changed elsewhere' WHERE id = 1");
        apply(updates(2, 2, "b"));
        assertThat(db.rowsAsText("SELECT id, name FROM hr.emp ORDER BY id"))
                .containsExactly("1|changed elsewhere", "2|b", "3|a");
    }

    @Test
    void aStagingTableThatTookManyRowsIsTruncatedAndStillLeaksNothing() {
        apply(updates(1, 12_000, "big")); // above the truncate threshold: the staging table gets a new, empty file
        assertThat(stagingBytes()).isZero();
        db.execute("UPDATE hr.emp SET name = 'changed elsewhere' WHERE id IN (1, 12000)");
        apply(updates(5, 6, "small")); // emptied by a delete this time
        apply(updates(7, 7, "again"));
        assertThat(db.rowsAsText("SELECT id, name FROM hr.emp WHERE id IN (1, 5, 6, 7, 8, 12000) ORDER BY id"))
                .containsExactly("1|changed elsewhere", "5|small", "6|small", "7|again", "8|big",
                        "12000|changed elsewhere");
    }

    /** The size of the writer's staging tables (temporary, in its session), seen from the catalog. */
    private long stagingBytes() {
        return ((Number) db.scalar("SELECT coalesce(sum(pg_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname LIKE 'pg_temp%' AND c.relname LIKE 'tm_stage_%'"))
                .longValue();
    }
}
