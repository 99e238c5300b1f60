package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The writer against a real PostgreSQL, without Kafka: what lands in the target, what the control
 * schema records, and what the writer asks of the consumer.
 */
class SinkWriterTest {

    private static PostgresTestDatabase db;

    private final AtomicLong offsets = new AtomicLong();
    private RecordingConsumer consumer;
    private final java.util.Set<TopicPartition> opened = new java.util.HashSet<>();
    private SinkWriter writer;
    private int run;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("writer");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void cleanTarget() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
        writer = newWriter(ErrorPolicy.FAIL, Map.of(), 1000);
    }

    @AfterEach
    void stopWriter() {
        writer.stop();
    }

    private SinkWriter newWriter(ErrorPolicy policy, Map<String, ErrorPolicy> overrides, int batchSize) {
        return newWriter(policy, overrides, batchSize, true);
    }

    private SinkWriter newWriter(ErrorPolicy policy, Map<String, ErrorPolicy> overrides, int batchSize,
                                 boolean autoEvolve) {
        return newWriter(policy, overrides, batchSize, autoEvolve, true);
    }

    private SinkWriter newWriter(ErrorPolicy policy, Map<String, ErrorPolicy> overrides, int batchSize,
                                 boolean autoEvolve, boolean autoCreate) {
        consumer = new RecordingConsumer();
        opened.clear();
        return TestWriters.against(db).connector("sink-" + (++run)).batchSize(batchSize).policy(policy)
                .overrides(overrides).autoEvolve(autoEvolve).autoCreate(autoCreate).consumer(consumer).start();
    }

    private TestTable table(String name) {
        return new TestTable(name, 0, offsets);
    }

    private void apply(SinkRecord... records) {
        openPartitionsOf(List.of(records));
        writer.put(List.of(records));
        writer.preCommit();
        writer.put(List.of()); // Connect's next poll: rewinds asked for in preCommit reach the consumer here
    }

    /** As Connect does: a partition is opened before its first record is delivered. */
    private void openPartitionsOf(List<SinkRecord> records) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            if (opened.add(tp)) {
                fresh.add(tp);
            }
        }
        if (!fresh.isEmpty()) {
            writer.open(fresh);
        }
    }

    private void open(List<TopicPartition> partitions) {
        opened.addAll(partitions);
        writer.open(partitions);
    }

    private List<String> rows(String table) {
        return db.rowsAsText("SELECT id, name, note FROM hr." + table + " ORDER BY id");
    }

    @Test
    void appliesSnapshotInsertUpdateDeleteAndTombstone() {
        TestTable emp = table("EMP");
        open(List.of(new TopicPartition(emp.topic, 0)));
        apply(emp.read(emp.row(1, "ann", "a")), emp.read(emp.row(2, "bob", "b")), emp.read(emp.row(3, "cy", null)));
        assertThat(rows("emp")).containsExactly("1|ann|a", "2|bob|b", "3|cy|null");

        apply(emp.insert(emp.row(4, "dee", "d")),
                emp.update(emp.row(1, "ann", "a"), emp.row(1, "anne", "a2")),
                emp.delete(emp.row(2, "bob", "b")), emp.tombstone(emp.row(2, "bob", "b")));
        assertThat(rows("emp")).containsExactly("1|anne|a2", "3|cy|null", "4|dee|d");
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic))
                .isEqualTo(offsets.get());
        assertThat(db.scalar("SELECT status FROM tidemark.table_state WHERE source_table = 'HR.EMP'")).isEqualTo("RUNNING");
    }

    @Test
    void collapsesABatchToTheLastChangePerKey() {
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "v1", null)),
                emp.update(emp.row(1, "v1", null), emp.row(1, "v2", null)),
                emp.update(emp.row(1, "v2", null), emp.row(1, "v3", null)),
                emp.insert(emp.row(2, "x", null)), emp.delete(emp.row(2, "x", null)),
                emp.delete(emp.row(3, "never", null)),
                emp.insert(emp.row(3, "back", null)));
        assertThat(rows("emp")).containsExactly("1|v3|null", "3|back|null");
        assertThat(writer.stats().upserted()).isEqualTo(2);
    }

    @Test
    void primaryKeyChangeDeletesTheOldRow() {
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "a", null)), emp.insert(emp.row(2, "b", null)));
        apply(emp.update(emp.row(1, "a", null), emp.row(10, "a", null)));
        assertThat(rows("emp")).containsExactly("2|b|null", "10|a|null");
    }

    @Test
    void truncateEmptiesTheTableAndKeepsLaterRows() {
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "a", null)), emp.insert(emp.row(2, "b", null)));
        apply(emp.insert(emp.row(3, "c", null)), emp.truncate(), emp.insert(emp.row(4, "d", null)));
        assertThat(rows("emp")).containsExactly("4|d|null");
    }

    @Test
    void unavailableLobKeepsTheStoredValue() {
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "a", "the big text")), emp.insert(emp.row(2, "b", "other")));
        apply(emp.update(emp.row(1, "a", "the big text"), emp.row(1, "a2", "__debezium_unavailable_value")),
                emp.update(emp.row(2, "b", "other"), emp.row(2, "b2", "changed")));
        assertThat(rows("emp")).containsExactly("1|a2|the big text", "2|b2|changed");
    }

    @Test
    void storesOffsetsAndStartsFromThemAfterARestart() {
        TestTable emp = table("EMP");
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        open(List.of(tp));
        apply(emp.insert(emp.row(1, "a", null)), emp.insert(emp.row(2, "b", null)));
        long stored = offsets.get();
        writer.stop();

        SinkWriter restarted = newWriterNamed(writer);
        restarted.open(List.of(tp));
        assertThat(consumer.rewinds).containsEntry(tp, stored);
        // A record delivered again below the stored offset is not applied twice.
        SinkRecord old = new SinkRecord(emp.topic, 0, TestTable.KEY, emp.events.keyOf(emp.row(1, "x", null)),
                emp.events.envelopeSchema(), emp.events.envelope("u", null, emp.row(1, "stale", null)), 0);
        restarted.put(List.of(old));
        restarted.preCommit();
        assertThat(rows("emp")).containsExactly("1|a|null", "2|b|null");
        assertThat(restarted.preCommit()).containsEntry(tp, stored);
        restarted.stop();
    }

    private SinkWriter newWriterNamed(SinkWriter previous) {
        run--; // same connector name as the previous writer
        return newWriter(ErrorPolicy.FAIL, Map.of(), 1000);
    }

    @Test
    void recordsIterationMarkersInTheLedger() {
        TestTable emp = table("EMP");
        ConnectHeaders headers = new ConnectHeaders();
        IterationMarker marker = new IterationMarker(3, "12345", 1_700_000_000_000L, false);
        SinkRecord insert = emp.insert(emp.row(1, "a", null));
        SinkRecord markerRecord = new SinkRecord(emp.topic, 0, null, null, IterationMarker.VALUE_SCHEMA,
                marker.toStruct(), offsets.getAndIncrement(), null, null, headers);
        apply(insert, markerRecord);
        assertThat(db.rowsAsText("SELECT iteration, source_table, kafka_offset, source_position FROM tidemark.iteration_partition"))
                .containsExactly("3|HR.EMP|" + markerRecord.kafkaOffset() + "|12345");
        assertThat(rows("emp")).containsExactly("1|a|null");
    }

    @Test
    void failPolicyStopsOnlyTheBadTableAndLosesNothing() {
        TestTable emp = table("EMP");
        TestTable dept = new TestTable("DEPT", 0, new AtomicLong());
        TopicPartition empTp = new TopicPartition(emp.topic, 0);
        open(List.of(empTp, new TopicPartition(dept.topic, 0)));
        apply(emp.insert(emp.row(1, "a", null)));
        long firstUnapplied = offsets.get();
        SinkRecord good = emp.insert(emp.row(2, "b", null));
        SinkRecord bad = emp.record(emp.events.keyOf(emp.row(3, "c", null)), Schema.STRING_SCHEMA, "not a struct");
        apply(good, bad, dept.insert(dept.row(7, "d", null)));

        assertThat(rows("emp")).containsExactly("1|a|null");
        assertThat(rows("dept")).containsExactly("7|d|null");
        assertThat(consumer.rewinds).containsEntry(empTp, firstUnapplied);
        assertThat(consumer.paused).containsExactly(empTp);
        assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'HR.EMP'"))
                .singleElement().asString().startsWith("ERROR_ABORTED|record " + emp.topic + "/0@" + bad.kafkaOffset())
                .contains("not a Struct");
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic))
                .isEqualTo(firstUnapplied);
    }

    @Test
    void flagPolicyRecordsTheBadRecordAndGoesOn() {
        writer.stop();
        writer = newWriter(ErrorPolicy.FAIL, Map.of("hr.emp", ErrorPolicy.FLAG), 1000);
        TestTable emp = table("EMP");
        SinkRecord first = emp.insert(emp.row(1, "a", null));
        SinkRecord bad = emp.record(emp.events.keyOf(emp.row(3, "c", null)), Schema.STRING_SCHEMA, "not a struct");
        SinkRecord keyless = emp.record(null, emp.events.envelopeSchema(), emp.events.envelope("c", null, emp.row(4, "d", null)));
        apply(first, bad, keyless, emp.insert(emp.row(2, "b", null)));

        assertThat(rows("emp")).containsExactly("1|a|null", "2|b|null");
        assertThat(db.rowsAsText("SELECT kafka_offset, record_key, payload, reason FROM tidemark.error_rows ORDER BY kafka_offset"))
                .satisfiesExactly(
                        r -> assertThat(r).startsWith(bad.kafkaOffset() + "|{\"ID\":3}|\"not a struct\"|the record value is a String"),
                        r -> assertThat(r).startsWith(keyless.kafkaOffset() + "|null|{\"before\":null,\"after\":{\"ID\":4,\"NAME\":\"d\"")
                                .contains("no primary key"));
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic))
                .isEqualTo(offsets.get());
    }

    @Test
    void valueThatDoesNotFitIsFoundAmongManyAndFlagged() {
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.emp (id bigint PRIMARY KEY, name varchar(5), note text)");
        writer.stop();
        writer = newWriter(ErrorPolicy.FLAG, Map.of(), 100_000);
        TestTable emp = table("EMP");
        List<SinkRecord> records = new ArrayList<>();
        SinkRecord tooLong = null;
        for (int i = 1; i <= 1000; i++) {
            SinkRecord r = emp.insert(emp.row(i, i == 617 ? "much too long" : "n" + i, null));
            if (i == 617) {
                tooLong = r;
            }
            records.add(r);
        }
        apply(records.toArray(new SinkRecord[0]));
        assertThat(db.count("SELECT count(*) FROM hr.emp")).isEqualTo(999);
        assertThat(db.rowsAsText("SELECT kafka_offset, reason FROM tidemark.error_rows"))
                .containsExactly(tooLong.kafkaOffset() + "|value too long for type character varying(5) [22001]");
    }

    @Test
    void valueThatDoesNotFitStopsTheTableUnderFailAndNamesTheRecord() {
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.emp (id bigint PRIMARY KEY, name varchar(5), note text)");
        TestTable emp = table("EMP");
        SinkRecord first = emp.insert(emp.row(1, "ok", null));
        SinkRecord tooLong = emp.insert(emp.row(2, "much too long", null));
        apply(first, tooLong, emp.insert(emp.row(3, "ok", null)));
        assertThat(db.count("SELECT count(*) FROM hr.emp")).isZero();
        assertThat(db.scalar("SELECT reason FROM tidemark.table_state"))
                .isEqualTo("record " + emp.topic + "/0@" + tooLong.kafkaOffset()
                        + ": value too long for type character varying(5) [22001] (table.error.policy=fail)");
        assertThat(consumer.rewinds).containsEntry(new TopicPartition(emp.topic, 0), 0L);
    }

    @Test
    void missingColumnStopsTheTableWhenEvolutionIsOff() {
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.emp (id bigint PRIMARY KEY, name text)");
        writer.stop();
        writer = newWriter(ErrorPolicy.FLAG, Map.of(), 1000, false);
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "a", "n")));
        assertThat(db.count("SELECT count(*) FROM hr.emp")).isZero();
        assertThat(db.scalar("SELECT status || ': ' || reason FROM tidemark.table_state")).isEqualTo(
                "ERROR_ABORTED: table hr.emp cannot take the rows of HR.EMP: column note (field NOTE) is missing and "
                        + "table.auto.evolve is false");
    }

    @Test
    void incompatibleColumnTypeStopsTheTable() {
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.emp (id bigint PRIMARY KEY, name text, note boolean)");
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "a", "n")));
        assertThat(db.count("SELECT count(*) FROM hr.emp")).isZero();
        assertThat((String) db.scalar("SELECT reason FROM tidemark.table_state")).startsWith(
                "table hr.emp cannot take the rows of HR.EMP: column note: ");
    }

    @Test
    void existingTableWithoutUniqueKeyIsRefusedWithTheFix() {
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.emp (id bigint, name text, note text)");
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "a", "n")));
        assertThat((String) db.scalar("SELECT reason FROM tidemark.table_state"))
                .contains("no primary key or unique index on (id)")
                .contains("ALTER TABLE \"hr\".\"emp\" ADD PRIMARY KEY (\"id\")");
    }

    @Test
    void newSourceColumnIsAddedToTheTarget() {
        TestTable emp = table("EMP");
        apply(emp.insert(emp.row(1, "a", "n")));
        Schema wider = SchemaBuilder.struct().name("server1.HR.EMP.Value")
                .field("ID", Schema.INT64_SCHEMA).field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
                .field("NOTE", Schema.OPTIONAL_STRING_SCHEMA).field("EMAIL", Schema.OPTIONAL_STRING_SCHEMA).build();
        TestTable emp2 = new TestTable("EMP", 0, offsets, TestTable.KEY, wider);
        apply(emp2.insert(emp2.events.row("ID", 2L, "NAME", "b", "NOTE", null, "EMAIL", "b@x")),
                emp2.update(emp2.events.row("ID", 1L, "NAME", "a", "NOTE", "n", "EMAIL", null),
                        emp2.events.row("ID", 1L, "NAME", "a", "NOTE", "n", "EMAIL", "a@x")));
        assertThat(db.rowsAsText("SELECT id, name, email FROM hr.emp ORDER BY id")).containsExactly("1|a|a@x", "2|b|b@x");
    }

    @Test
    void reconnectsAfterTheDatabaseDropsTheConnectionAndAppliesEverythingOnce() {
        TestTable emp = table("EMP");
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        open(List.of(tp));
        apply(emp.insert(emp.row(1, "a", null)));
        long stored = offsets.get();
        db.terminateOtherSessions();
        SinkRecord next = emp.insert(emp.row(2, "b", null));
        apply(next);
        // The flush failed with the connection; the writer rewound to what the database holds.
        assertThat(consumer.rewinds).containsEntry(tp, stored);
        assertThat(rows("emp")).containsExactly("1|a|null");
        // Connect delivers the record again; after the backoff it is applied once.
        redeliverUntil(List.of(next), "emp", 2);
        assertThat(rows("emp")).containsExactly("1|a|null", "2|b|null");
        assertThat(writer.preCommit()).containsEntry(tp, stored + 1);
    }

    /** Delivers the records again, as Connect would after a rewind, until the table holds {@code rows} rows (10 s at most). */
    private void redeliverUntil(List<SinkRecord> records, String table, int rows) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (rows(table).size() < rows && System.currentTimeMillis() < deadline) {
            writer.put(records);
            writer.preCommit();
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void keylessTableIsStoppedWithANamedReason() {
        TestTable logs = table("LOGS");
        Struct row = logs.row(1, "x", null);
        SinkRecord keyless = logs.record(null, logs.events.envelopeSchema(), logs.events.envelope("c", null, row));
        apply(keyless);
        assertThat(db.scalar("SELECT status FROM tidemark.table_state WHERE source_table = 'HR.LOGS'")).isEqualTo("ERROR_ABORTED");
        assertThat((String) db.scalar("SELECT reason FROM tidemark.table_state WHERE source_table = 'HR.LOGS'"))
                .contains("no key").contains("primary key");
    }

    @Test
    void missingTableWithoutAutoCreateStopsTheTableAndLosesNothing() {
        writer.stop();
        writer = newWriter(ErrorPolicy.FLAG, Map.of(), 1000, true, false);
        TestTable emp = table("EMP");
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        open(List.of(tp));
        apply(emp.insert(emp.row(1, "a", null)), emp.insert(emp.row(2, "b", null)));
        assertThat(db.scalar("SELECT to_regclass('hr.emp')")).isNull();
        assertThat(db.scalar("SELECT status || ': ' || reason FROM tidemark.table_state")).isEqualTo(
                "ERROR_ABORTED: target table hr.emp does not exist and table.auto.create is false: create it, or set "
                        + "table.auto.create=true");
        assertThat(consumer.rewinds).containsEntry(tp, 0L);
        assertThat(consumer.paused).containsExactly(tp);
        assertThat(db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE next_offset IS NOT NULL")).isZero();
    }

    @Test
    void textThatPostgresCannotStoreGoesToThePolicyWithTheColumnNamed() {
        writer.stop();
        writer = newWriter(ErrorPolicy.FLAG, Map.of(), 1000);
        TestTable emp = table("EMP");
        SinkRecord first = emp.insert(emp.row(1, "a", null));
        SinkRecord nul = emp.insert(emp.row(2, "bad\u0000name", null));
        apply(first, nul, emp.insert(emp.row(3, "c", null)));
        assertThat(rows("emp")).containsExactly("1|a|null", "3|c|null");
        assertThat(db.rowsAsText("SELECT kafka_offset, reason FROM tidemark.error_rows")).singleElement().asString()
                .startsWith(nul.kafkaOffset() + "|column name: text contains a NUL character (U+0000)");
    }

    @Test
    void tombstonesBeforeTheTableExistsAreHarmlessAndLaterOnesDelete() {
        TestTable emp = table("EMP");
        apply(emp.tombstone(emp.row(9, "x", null)));
        assertThat(db.scalar("SELECT to_regclass('hr.emp')")).isNull();
        apply(emp.insert(emp.row(1, "a", null)), emp.insert(emp.row(2, "b", null)));
        apply(emp.tombstone(emp.row(1, "a", null)));
        assertThat(rows("emp")).containsExactly("2|b|null");
    }

    @Test
    void databaseGoneForLongerThanTheRetryTimeFailsTheTaskSayingWhatToDo() {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        consumer = new RecordingConsumer();
        SinkWriter flaky = TestWriters.against(db).connector("flaky-sink").retry(new RetryPolicy(600, 50, 100))
                .consumer(consumer).connections(() -> {
                    if (down.get()) {
                        throw new java.sql.SQLException("Connection to 127.0.0.1:1 refused", "08001");
                    }
                    Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                    c.setAutoCommit(false);
                    return c;
                }).start();
        TestTable emp = table("EMP");
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        flaky.open(List.of(tp));
        flaky.put(List.of(emp.insert(emp.row(1, "a", null))));
        flaky.preCommit();
        db.terminateOtherSessions();
        down.set(true);
        SinkRecord next = emp.insert(emp.row(2, "b", null));
        org.apache.kafka.connect.errors.ConnectException failure = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (failure == null && System.currentTimeMillis() < deadline) {
            try {
                flaky.put(List.of(next));
                flaky.preCommit();
                sleep(40);
            } catch (org.apache.kafka.connect.errors.ConnectException e) {
                failure = e;
            }
        }
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("PostgreSQL has failed every attempt for")
                .contains("Connection to 127.0.0.1:1 refused [08001]").contains("Nothing was lost")
                .contains("POST /connectors/flaky-sink/restart?includeTasks=true").contains("retry.max.duration.ms");
        assertThat(consumer.rewinds).containsEntry(tp, next.kafkaOffset());
        assertThat(rows("emp")).containsExactly("1|a|null");
    }

    @Test
    void insertsOfKeysThatExistAlreadyBecomeUpserts() {
        TestTable emp = table("EMP");
        apply(emp.read(emp.row(1, "a", null)), emp.read(emp.row(2, "b", null)));
        // A re-snapshot (or a replay after an offsets reset): the same keys arrive as inserts again.
        apply(emp.read(emp.row(1, "a2", null)), emp.read(emp.row(2, "b2", null)), emp.read(emp.row(3, "c", null)));
        assertThat(rows("emp")).containsExactly("1|a2|null", "2|b2|null", "3|c|null");
        // And once more, while the table takes the upsert path for a while.
        apply(emp.insert(emp.row(4, "d", null)), emp.insert(emp.row(1, "a3", null)));
        assertThat(rows("emp")).containsExactly("1|a3|null", "2|b2|null", "3|c|null", "4|d|null");
        assertThat(writer.stats().upserted()).isEqualTo(7);
    }

    @Test
    void aFlushThatFailsBesideTheTaskRewindsItAndTheBatchBufferedBehindIt() {
        writer.stop();
        writer = newWriter(ErrorPolicy.FAIL, Map.of(), 2);
        TestTable emp = table("EMP");
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        open(List.of(tp));
        apply(emp.insert(emp.row(1, "a", null)));
        long stored = offsets.get();
        db.terminateOtherSessions();
        List<SinkRecord> more = List.of(emp.insert(emp.row(2, "b", null)), emp.insert(emp.row(3, "c", null)),
                emp.insert(emp.row(4, "d", null)));
        // 2 and 3 fill a batch, applied on the applier thread over the dead connection; 4 waits behind it.
        writer.put(more);
        assertThat(writer.preCommit()).as("what the database holds").containsEntry(tp, stored);
        writer.put(List.of());
        assertThat(consumer.rewinds).containsEntry(tp, stored);
        assertThat(rows("emp")).containsExactly("1|a|null");
        // Connect delivers all three again; after the backoff each is applied once.
        redeliverUntil(more, "emp", 4);
        assertThat(rows("emp")).containsExactly("1|a|null", "2|b|null", "3|c|null", "4|d|null");
        assertThat(writer.preCommit()).containsEntry(tp, stored + 3);
        assertThat(writer.stats().upserted()).isEqualTo(4);
    }
}
