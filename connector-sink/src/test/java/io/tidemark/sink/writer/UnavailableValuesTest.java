package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.ErrorPolicy;

/**
 * Debezium's unavailable-value placeholder (an unchanged TOASTed PostgreSQL value, an Oracle LOB an
 * update did not touch) never reaches the target as a value: row images are merged, never replaced,
 * within a batch and across the flushes of a FULL iteration, a primary-key change keeps the values,
 * and a placeholder nothing can fill goes to the table's error policy. Text and bytea, PARTIAL and
 * FULL, against a real PostgreSQL.
 */
class UnavailableValuesTest {

    static final String PLACEHOLDER = "__debezium_unavailable_value";
    static final byte[] PLACEHOLDER_BYTES = PLACEHOLDER.getBytes(StandardCharsets.UTF_8);
    static final Schema KEY = SchemaBuilder.struct().name("server1.HR.DOC.Key").field("ID", Schema.INT64_SCHEMA).build();
    static final Schema ROW = SchemaBuilder.struct().name("server1.HR.DOC.Value")
            .field("ID", Schema.INT64_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
            .field("NOTE", Schema.OPTIONAL_STRING_SCHEMA)
            .field("DATA", Schema.OPTIONAL_BYTES_SCHEMA)
            .build();

    @RegisterExtension
    static final SinkTestDatabase sink = new SinkTestDatabase("unavailable");

    private final TestTask.Log log = new TestTask.Log();
    private final TestTable doc = new TestTable("DOC", 0, new AtomicLong(), KEY, ROW);
    private TestTask task;
    private ConsistencyMode mode;
    private long iteration;
    private int run;

    /** A task for HR.DOC in the mode; in FULL, iteration 0 (one unrelated row) is applied first. */
    private void start(ConsistencyMode consistency, ErrorPolicy policy) {
        mode = consistency;
        log.append(doc.read(row(100, "other", "x", bytes("x"))));
        if (mode == ConsistencyMode.FULL) {
            log.append(doc.marker(0, 1, false));
        }
        task = sink.track(new TestTask(log, TestWriters.against(sink.db()).connector("lob-sink-" + (++run))
                .policy(policy)
                .modeOverrides(mode == ConsistencyMode.FULL ? Map.of("HR.DOC", ConsistencyMode.FULL) : Map.of())
                .lifecyclePollIntervalMs(50).topics(doc.topic)));
        if (mode == ConsistencyMode.FULL) {
            task.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        } else {
            task.pump();
        }
    }

    /** One batch: the records reach the writer in one put and one flush. */
    private void batch(SinkRecord... records) {
        log.append(records);
        task.pump();
    }

    /** What the target shows once the changes so far are applied (in FULL: at the next marker). */
    private List<String> target() {
        if (mode == ConsistencyMode.FULL) {
            long next = ++iteration;
            log.append(doc.marker(next, 1, false));
            task.pumpUntil("iteration " + next + " applied", () -> sink.applied(next));
        } else {
            task.pump();
        }
        return sink.db().rowsAsText("SELECT id, name, note, convert_from(data, 'UTF8') FROM hr.doc WHERE id < 100 ORDER BY id");
    }

    private Struct row(long id, String name, String note, byte[] data) {
        return doc.events.row("ID", id, "NAME", name, "NOTE", note, "DATA", data);
    }

    /** A row whose LOBs the change did not carry. */
    private Struct untouched(long id, String name) {
        return row(id, name, PLACEHOLDER, PLACEHOLDER_BYTES);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void insertThenUpdateInOneBatchKeepsTheInsertedValues(ConsistencyMode consistency) {
        start(consistency, ErrorPolicy.FAIL);
        batch(doc.insert(row(1, "a", "big text", bytes("big bytes"))),
                doc.update(row(1, "a", "big text", bytes("big bytes")), untouched(1, "a2")));
        assertThat(target()).containsExactly("1|a2|big text|big bytes");
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void anUpdateOfTheValueThenOfAnotherColumnInOneBatchKeepsTheNewValue(ConsistencyMode consistency) {
        start(consistency, ErrorPolicy.FAIL);
        batch(doc.insert(row(1, "a", "old text", bytes("old bytes"))));
        assertThat(target()).containsExactly("1|a|old text|old bytes");
        batch(doc.update(untouched(1, "a"), row(1, "a", "new text", bytes("new bytes"))),
                doc.update(untouched(1, "a"), untouched(1, "a2")));
        assertThat(target()).containsExactly("1|a2|new text|new bytes");
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void valuesCarryAcrossBatches(ConsistencyMode consistency) {
        start(consistency, ErrorPolicy.FAIL);
        batch(doc.insert(row(1, "a", "big text", bytes("big bytes"))));
        batch(doc.update(untouched(1, "a"), untouched(1, "a2")));
        batch(doc.update(untouched(1, "a2"), row(1, "a3", "new text", bytes("new bytes"))));
        batch(doc.update(untouched(1, "a3"), untouched(1, "a4")));
        assertThat(target()).containsExactly("1|a4|new text|new bytes");
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void aPrimaryKeyChangeKeepsTheUnavailableValues(ConsistencyMode consistency) {
        start(consistency, ErrorPolicy.FAIL);
        batch(doc.insert(row(1, "a", "text 1", bytes("bytes 1"))), doc.insert(row(2, "b", "text 2", bytes("bytes 2"))),
                doc.insert(row(4, "d", "text 4", bytes("bytes 4"))), doc.insert(row(5, "e", "text 5", bytes("bytes 5"))));
        assertThat(target()).hasSize(4);
        // Debezium's form (delete, tombstone, create with the old key in a header), the move in a later batch.
        batch(keyChange(row(1, "a", null, null), untouched(11, "a")));
        // The envelope form: an update whose key changed.
        batch(doc.update(untouched(2, "b"), untouched(12, "b")));
        // In one batch with an insert and an update of the old key.
        List<SinkRecord> third = new ArrayList<>(List.of(doc.insert(row(3, "c", "text 3", bytes("bytes 3"))),
                doc.update(row(3, "c", null, null), untouched(3, "c2"))));
        third.addAll(List.of(keyChange(row(3, "c2", null, null), untouched(13, "c2"))));
        batch(third.toArray(SinkRecord[]::new));
        // The delete and the create in different batches. (The create first is an order of two partitions,
        // where it waits for the move: KeyChangesAcrossTasksTest and MovesOfChangedRowsTest. In one partition
        // Debezium writes the delete first.)
        SinkRecord[] four = keyChange(row(4, "d", null, null), untouched(14, "d"));
        batch(four[0], four[1]);
        batch(four[2]);
        // The delete and the create in one batch.
        batch(keyChange(row(5, "e", null, null), untouched(15, "e")));
        // A row inserted and moved in one batch, the create of its new key in a later one.
        SinkRecord insert = doc.insert(row(6, "f", "text 6", bytes("bytes 6")));
        SinkRecord[] six = keyChange(row(6, "f", null, null), untouched(16, "f2"));
        batch(insert, six[0], six[1]);
        batch(six[2]);
        // Moved and updated in one transaction, in one batch: the update collapses onto the create.
        List<SinkRecord> seven = new ArrayList<>(List.of(keyChange(row(15, "e", null, null), untouched(17, "e"))));
        seven.add(doc.update(untouched(17, "e"), untouched(17, "e2")));
        batch(seven.toArray(SinkRecord[]::new));
        assertThat(target()).containsExactly("11|a|text 1|bytes 1", "12|b|text 2|bytes 2", "13|c2|text 3|bytes 3",
                "14|d|text 4|bytes 4", "16|f2|text 6|bytes 6", "17|e2|text 5|bytes 5");
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void aPlaceholderNothingCanFillGoesToTheErrorPolicyWithTheReason(ConsistencyMode consistency) {
        start(consistency, ErrorPolicy.FLAG);
        batch(doc.update(null, untouched(7, "never seen")), doc.insert(row(8, "h", "text 8", bytes("bytes 8"))));
        assertThat(target()).containsExactly("8|h|text 8|bytes 8");
        assertThat(sink.db().rowsAsText("SELECT reason FROM tidemark.error_rows")).singleElement().asString()
                .contains("unavailable").contains("NOTE").contains("REPLICA IDENTITY FULL");
        assertThat(task.writer.stats().flagged()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void aPlaceholderAfterADeleteStopsTheTableUnderFailNamingTheColumns(ConsistencyMode consistency) {
        start(consistency, ErrorPolicy.FAIL);
        batch(doc.insert(row(9, "i", "text 9", bytes("bytes 9"))));
        batch(doc.delete(row(9, "i", null, null)));
        batch(doc.update(null, untouched(9, "i again")));
        task.pumpFor(300);
        assertThat(sink.db().rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'HR.DOC'"))
                .singleElement().asString().startsWith("ERROR_ABORTED|").contains("NOTE, DATA")
                .contains("table.error.policy=fail");
        assertThat(sink.db().count("SELECT count(*) FROM hr.doc WHERE id = 9")).isZero();
    }

    @org.junit.jupiter.api.Test
    void aKeyChangeWaitsForTheOldRowWhenItsPartitionIsBehind() {
        start(ConsistencyMode.PARTIAL, ErrorPolicy.FAIL);
        // Debezium writes the create of the new key into the new key's partition, here ahead of the old one's.
        SinkRecord insert = doc.insert(row(6, "f", "text 6", bytes("bytes 6")));
        SinkRecord[] move = keyChange(row(6, "f", null, null), untouched(16, "f"));
        TestTable partition1 = new TestTable("DOC", 1, new AtomicLong(), KEY, ROW);
        batch(withHeaders(partition1.insert(untouched(16, "f")), (ConnectHeaders) move[2].headers()));
        assertThat(sink.db().count("SELECT count(*) FROM hr.doc WHERE id = 16")).as("nothing written while it waits").isZero();

        log.append(insert, move[0], move[1]); // the old key's partition catches up
        task.pumpUntil("the move applied", () -> sink.db().count("SELECT count(*) FROM hr.doc WHERE id = 16") == 1);
        assertThat(target()).containsExactly("16|f|text 6|bytes 6");
        assertThat(sink.db().count("SELECT count(*) FROM tidemark.error_rows")).isZero();
    }

    /** Debezium's records for a primary-key update: delete and tombstone of the old key, create of the new. */
    private SinkRecord[] keyChange(Struct before, Struct after) {
        Struct oldKey = doc.events.keyOf(before);
        Struct newKey = doc.events.keyOf(after);
        ConnectHeaders onDelete = new ConnectHeaders();
        onDelete.add("__debezium.newkey", newKey, KEY);
        ConnectHeaders onCreate = new ConnectHeaders();
        onCreate.add("__debezium.oldkey", oldKey, KEY);
        return new SinkRecord[] {withHeaders(doc.delete(before), onDelete),
                withHeaders(doc.tombstone(before), new ConnectHeaders()), withHeaders(doc.insert(after), onCreate)};
    }

    private static SinkRecord withHeaders(SinkRecord r, ConnectHeaders headers) {
        return new SinkRecord(r.topic(), r.kafkaPartition(), r.keySchema(), r.key(), r.valueSchema(), r.value(),
                r.kafkaOffset(), null, null, headers);
    }
}
