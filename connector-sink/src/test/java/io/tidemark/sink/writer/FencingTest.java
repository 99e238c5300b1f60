package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.flush.FlushGuard;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Two writers that both believe they own one partition, as after a rebalance that a slow task did
 * not notice (a flush that outlived max.poll.interval.ms, a task the worker gave up on): only the
 * one that claimed it last may commit. The stale one's flush rolls back whole, with its rows, its
 * flagged records and its metered bytes.
 */
class FencingTest {

    private static PostgresTestDatabase db;

    private final AtomicLong offsets = new AtomicLong();
    private TestTable emp;
    private TopicPartition tp;
    private SinkWriter stale;
    private SinkWriter successor;
    private RecordingConsumer staleConsumer;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("fencing");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE",
                "DROP TABLE IF EXISTS public.metered", "CREATE TABLE public.metered (bytes bigint)");
        emp = new TestTable("EMP", 0, offsets);
        tp = new TopicPartition(emp.topic, 0);
        staleConsumer = new RecordingConsumer();
    }

    @AfterEach
    void stop() {
        if (stale != null) {
            stale.stop();
        }
        if (successor != null) {
            successor.stop();
        }
    }

    /** Meters like the license does: adds each flush's bytes in the flush's own transaction. */
    private static final class CountingGuard implements FlushGuard {
        @Override
        public void prepare(Connection connection) {
        }

        @Override
        public String beforeCommit(Connection connection, long appliedBytes) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO public.metered VALUES (?)")) {
                ps.setLong(1, appliedBytes);
                ps.executeUpdate();
            }
            return null;
        }

        @Override
        public void refused(Connection connection, String reason) {
        }

        @Override
        public boolean mayResume(Connection connection) {
            return true;
        }
    }

    private SinkWriter writer(String task, RecordingConsumer consumer) {
        return TestWriters.against(db).connector("fenced-sink").task(task).batchSize(10_000).policy(ErrorPolicy.FLAG)
                .consumer(consumer).guard(new CountingGuard()).start();
    }

    @Test
    void theStaleOwnersCommitIsRefusedAndTheTargetIsTheSuccessors() {
        stale = writer("0", staleConsumer);
        stale.open(List.of(tp));
        SinkRecord first = emp.insert(emp.row(1, "stale", null));
        SinkRecord bad = emp.record(emp.events.keyOf(emp.row(9, "x", null)), Schema.STRING_SCHEMA, "not a struct");
        stale.put(List.of(first, bad)); // buffered, not yet flushed

        // The partition moves to another task, which starts from what the database holds (nothing yet).
        successor = writer("1", new RecordingConsumer());
        successor.open(List.of(tp));
        SinkRecord again = new SinkRecord(emp.topic, 0, TestTable.KEY, first.key(), first.valueSchema(),
                emp.events.envelope("c", null, emp.row(1, "successor", null)), first.kafkaOffset());
        successor.put(List.of(again, bad, emp.insert(emp.row(2, "b", null))));
        Map<TopicPartition, Long> successorOffsets = successor.preCommit();
        assertThat(successorOffsets).containsEntry(tp, offsets.get());

        // The stale task's flush comes last and must not commit.
        assertThat(stale.preCommit()).as("the stale task reports nothing for a partition it lost").doesNotContainKey(tp);
        assertThat(db.rowsAsText("SELECT id, name FROM hr.emp ORDER BY id")).containsExactly("1|successor", "2|b");
        assertThat(db.count("SELECT count(*) FROM tidemark.error_rows")).as("flagged once, by the successor").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM public.metered WHERE bytes > 0")).as("metered once").isEqualTo(1);
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic))
                .isEqualTo(offsets.get());
        assertThat(staleConsumer.paused).as("the stale task stops fetching the partition").contains(tp);

        // Whatever else reaches the stale task for that partition is not applied.
        stale.put(List.of(emp.insert(emp.row(3, "late", null))));
        stale.preCommit();
        assertThat(db.rowsAsText("SELECT id FROM hr.emp ORDER BY id")).containsExactly("1", "2");
    }

    @Test
    void aClaimElsewhereFencesTheNextFlushOfTheFormerOwner() throws Exception {
        stale = writer("0", staleConsumer);
        stale.open(List.of(tp));
        stale.put(List.of(emp.insert(emp.row(1, "a", null))));
        stale.preCommit();
        long afterFirst = offsets.get();
        // The claim raises the epoch; the stale task's next flush sees it at its offset save.
        successor = writer("1", new RecordingConsumer());
        successor.open(List.of(tp));
        stale.put(List.of(emp.insert(emp.row(2, "b", null))));
        stale.preCommit();
        assertThat(db.rowsAsText("SELECT id FROM hr.emp ORDER BY id")).containsExactly("1");
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic))
                .isEqualTo(afterFirst);
    }

    @Test
    void theRestOffsetsApiFencesATaskThatOutlivedTheStop() throws Exception {
        stale = writer("0", staleConsumer);
        stale.open(List.of(tp));
        stale.put(List.of(emp.insert(emp.row(1, "a", null))));
        stale.preCommit();
        // The connector is stopped and its offsets reset (DELETE /connectors/fenced-sink/offsets) while
        // this task, which the worker gave up on, still runs.
        try (Connection c = db.connect()) {
            new OffsetStore(new ControlSchema("tidemark"), "fenced-sink").alter(c, java.util.Collections.singletonMap(tp, null));
        }
        stale.put(List.of(emp.insert(emp.row(2, "b", null))));
        stale.preCommit();
        assertThat(db.rowsAsText("SELECT id FROM hr.emp ORDER BY id")).containsExactly("1");
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic)).isNull();
    }
}
