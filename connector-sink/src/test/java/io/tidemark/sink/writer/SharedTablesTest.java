package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.naming.NameCase;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Several tasks, one target: DDL races between tasks are never a table error, a table's status
 * is the truth across all its partitions and tasks, and two source tables never silently share a
 * target table.
 */
class SharedTablesTest {

    private static PostgresTestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("shared");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS app CASCADE",
                "DROP SCHEMA IF EXISTS tidemark CASCADE");
    }

    private static SinkWriter writer(String task) {
        return TestWriters.against(db).connector("shared-sink").task(task).start();
    }

    @Test
    void twoTasksCreatingTablesOfOneNewSchemaAtOnceNeverStopATable() throws Exception {
        for (int round = 0; round < 12; round++) {
            db.execute("DROP SCHEMA IF EXISTS hr CASCADE");
            TestTable a = new TestTable("A" + round, 0, new AtomicLong());
            TestTable b = new TestTable("B" + round, 0, new AtomicLong());
            SinkWriter first = writer("0");
            SinkWriter second = writer("1");
            first.open(List.of(new TopicPartition(a.topic, 0)));
            second.open(List.of(new TopicPartition(b.topic, 0)));
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> one = CompletableFuture.runAsync(() -> flushAt(together, first, a));
            CompletableFuture<Void> two = CompletableFuture.runAsync(() -> flushAt(together, second, b));
            one.get(30, TimeUnit.SECONDS);
            two.get(30, TimeUnit.SECONDS);
            first.stop();
            second.stop();
            assertThat(db.rowsAsText("SELECT source_table, status, reason FROM tidemark.table_state WHERE status <> 'RUNNING'"))
                    .as("round " + round).isEmpty();
            assertThat(db.count("SELECT count(*) FROM hr.a" + round) + db.count("SELECT count(*) FROM hr.b" + round))
                    .isEqualTo(2);
        }
    }

    private static void flushAt(CyclicBarrier together, SinkWriter writer, TestTable table) {
        try {
            writer.put(List.of(table.insert(table.row(1, "x", null))));
            together.await(10, TimeUnit.SECONDS);
            writer.preCommit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anErrorOnOnePartitionShowsOnTheTableWhateverTheOtherTaskWrites() {
        TestTable p0 = new TestTable("EMP", 0, new AtomicLong());
        TestTable p1 = new TestTable("EMP", 1, new AtomicLong());
        // No lifecycle poll after the first: once task 1 polls, it reads the table's accepted ABORTED and
        // holds its partition too (STOPPED, "held"); this test is about what task 1's flushes write before that.
        SinkWriter first = TestWriters.against(db).connector("shared-sink").task("0").lifecyclePollIntervalMs(600_000).start();
        SinkWriter second = TestWriters.against(db).connector("shared-sink").task("1").lifecyclePollIntervalMs(600_000).start();
        try {
            first.open(List.of(new TopicPartition(p0.topic, 0)));
            second.open(List.of(new TopicPartition(p1.topic, 1)));
            second.put(List.of(p1.insert(p1.row(1, "a", null))));
            second.preCommit();
            SinkRecord bad = p0.record(p0.events.keyOf(p0.row(2, "b", null)), Schema.STRING_SCHEMA, "not a struct");
            first.put(List.of(bad));
            first.preCommit();
            // The other task goes on with its partition and writes RUNNING for it: the table stays in error.
            second.put(List.of(p1.insert(p1.row(3, "c", null))));
            second.preCommit();
            assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'HR.EMP'"))
                    .singleElement().asString()
                    .startsWith("ERROR_ABORTED|partition server1.HR.EMP-0 (task 0) ERROR_ABORTED: record server1.HR.EMP/0@0")
                    .endsWith("; 1 of 2 partitions RUNNING");
            assertThat(db.rowsAsText("SELECT kafka_partition, status, task FROM tidemark.partition_state ORDER BY 1"))
                    .containsExactly("0|ERROR_ABORTED|0", "1|RUNNING|1");
        } finally {
            first.stop();
            second.stop();
        }
    }

    @Test
    void twoSourceTablesMappingToOneTargetStopTheSecondWhateverTaskSeesIt() {
        NameMapper oneSchema = new NameMapper(NameCase.LOWER, "app", Map.of(), Map.of(), Map.of());
        TestTable hr = new TestTable("EMP", 0, new AtomicLong());
        SinkRecord hrRecord = hr.insert(hr.row(1, "hr", null));
        SinkRecord salesRecord = new SinkRecord("server1.SALES.EMP", 0, hrRecord.keySchema(), hrRecord.key(),
                hrRecord.valueSchema(), hr.events.envelope("c", null, hr.row(1, "sales", null)), 0);
        TopicPartition hrTp = new TopicPartition(hr.topic, 0);
        TopicPartition salesTp = new TopicPartition("server1.SALES.EMP", 0);

        // One task sees both.
        SinkWriter both = TestWriters.against(db).connector("names-sink").names(oneSchema).start();
        both.open(List.of(hrTp, salesTp));
        both.put(List.of(hrRecord, salesRecord));
        both.preCommit();
        both.stop();
        assertThat(db.rowsAsText("SELECT id, name FROM app.emp")).containsExactly("1|hr");
        assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'SALES.EMP'"))
                .singleElement().asString()
                .startsWith("ERROR_ABORTED|tables HR.EMP and SALES.EMP both map to table app.emp: give one of them "
                        + "another name with table.rename");

        // Two tasks, each seeing one: the control schema knows the target is taken.
        db.execute("DROP SCHEMA app CASCADE", "DROP SCHEMA tidemark CASCADE");
        SinkWriter first = TestWriters.against(db).connector("names-sink").task("0").names(oneSchema).start();
        SinkWriter second = TestWriters.against(db).connector("names-sink").task("1").names(oneSchema).start();
        try {
            first.open(List.of(hrTp));
            second.open(List.of(salesTp));
            first.put(List.of(hrRecord));
            first.preCommit();
            second.put(List.of(salesRecord));
            second.preCommit();
        } finally {
            first.stop();
            second.stop();
        }
        assertThat(db.rowsAsText("SELECT id, name FROM app.emp")).containsExactly("1|hr");
        assertThat((String) db.scalar("SELECT reason FROM tidemark.table_state WHERE source_table = 'SALES.EMP'"))
                .startsWith("tables HR.EMP and SALES.EMP both map to table app.emp");
    }

    @Test
    void aTargetNameLongerThanPostgresKeepsIsRefusedNotTruncated() {
        String longName = "EMPLOYEE_HISTORY_OF_EVERY_DEPARTMENT_AND_EVERY_YEAR_SINCE_NINETEEN_SEVENTY";
        TestTable table = new TestTable(longName, 0, new AtomicLong());
        SinkWriter writer = writer("0");
        try {
            writer.open(List.of(new TopicPartition(table.topic, 0)));
            writer.put(List.of(table.insert(table.row(1, "a", null))));
            writer.preCommit();
        } finally {
            writer.stop();
        }
        assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state")).singleElement().asString()
                .startsWith("ERROR_ABORTED|table HR." + longName + " maps to hr." + longName.toLowerCase()
                        + ", which is not a usable PostgreSQL name: ")
                .contains("is 74 bytes long; PostgreSQL identifiers hold at most 63")
                .contains("table.rename");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'hr'")).isZero();
    }

    @Test
    void aTableStoppedByAnErrorStopsOnEveryPartition() {
        TestTable p0 = new TestTable("EMP", 0, new AtomicLong());
        TestTable p1 = new TestTable("EMP", 1, new AtomicLong());
        RecordingConsumer consumer = new RecordingConsumer();
        SinkWriter writer = TestWriters.against(db).connector("stop-sink").policy(ErrorPolicy.FAIL).consumer(consumer)
                .start();
        try {
            TopicPartition tp0 = new TopicPartition(p0.topic, 0);
            TopicPartition tp1 = new TopicPartition(p1.topic, 1);
            writer.open(List.of(tp0, tp1));
            writer.put(List.of(p0.record(p0.events.keyOf(p0.row(1, "a", null)), Schema.STRING_SCHEMA, "bad")));
            writer.preCommit();
            List<SinkRecord> later = new ArrayList<>();
            later.add(p1.insert(p1.row(2, "b", null)));
            writer.put(later);
            writer.preCommit();
            writer.put(List.of());
            assertThat(consumer.paused).containsExactlyInAnyOrder(tp0, tp1);
            assertThat(consumer.rewinds).containsEntry(tp1, 0L);
            // The table as a whole is stopped: the failing partition shows the error, the other one STOPPED.
            assertThat(db.rowsAsText("SELECT kafka_partition, status FROM tidemark.partition_state ORDER BY 1"))
                    .containsExactly("0|ERROR_ABORTED", "1|STOPPED");
            assertThat(db.scalar("SELECT status FROM tidemark.table_state")).isEqualTo("ERROR_ABORTED");
        } finally {
            writer.stop();
        }
    }
}
