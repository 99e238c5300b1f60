package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Records that a converter accepts but that contradict themselves: each is an error for its
 * table, handled by the table's policy, and never takes the task down. The good records around
 * them land.
 */
class MalformedRecordsTest {

    private static PostgresTestDatabase db;
    private final AtomicLong offsets = new AtomicLong();
    private final TestTable emp = new TestTable("EMP", 0, offsets);
    private final TestTable dept = new TestTable("DEPT", 0, new AtomicLong());
    private SinkWriter writer;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("malformed");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
    }

    @AfterEach
    void stop() {
        writer.stop();
    }

    /** One malformed record of each kind, between good ones, at consecutive offsets. */
    private List<SinkRecord> goodAndBad() {
        List<SinkRecord> records = new ArrayList<>();
        records.add(emp.insert(emp.row(1, "good", null)));

        ConnectHeaders badHeaders = new ConnectHeaders();
        badHeaders.addString(IterationMarker.HEADER_ITERATION, "not a number");
        records.add(new SinkRecord(emp.topic, 0, null, null, null, null, offsets.getAndIncrement(), null, null,
                badHeaders));

        Schema numericOp = SchemaBuilder.struct().name("server1.HR.EMP.Envelope")
                .field("before", SchemaBuilder.struct().optional().field("ID", Schema.INT64_SCHEMA).build())
                .field("after", SchemaBuilder.struct().optional().field("ID", Schema.INT64_SCHEMA).build())
                .field("op", Schema.INT32_SCHEMA).build();
        records.add(emp.record(emp.events.keyOf(emp.row(2, "x", null)), numericOp, new Struct(numericOp).put("op", 7)));

        Schema mixedEnvelope = SchemaBuilder.struct().name("server1.HR.EMP.Envelope")
                .field("before", SchemaBuilder.struct().optional().field("ID", Schema.STRING_SCHEMA)
                        .field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build())
                .field("after", emp.row(3, "x", null).schema())
                .field("op", Schema.STRING_SCHEMA).build();
        Struct before = new Struct(mixedEnvelope.field("before").schema()).put("ID", "seven").put("NAME", "x");
        records.add(emp.record(emp.events.keyOf(emp.row(3, "x", null)), mixedEnvelope, new Struct(mixedEnvelope)
                .put("before", before).put("after", emp.row(3, "x", null)).put("op", "u")));

        Schema textualAfter = SchemaBuilder.struct().name("server1.HR.EMP.Envelope")
                .field("before", SchemaBuilder.struct().optional().field("ID", Schema.INT64_SCHEMA).build())
                .field("after", Schema.OPTIONAL_STRING_SCHEMA)
                .field("op", Schema.STRING_SCHEMA).build();
        records.add(emp.record(emp.events.keyOf(emp.row(4, "x", null)), textualAfter,
                new Struct(textualAfter).put("after", "a row as text").put("op", "c")));

        records.add(emp.insert(emp.row(5, "good too", null)));
        return records;
    }

    @Test
    void underFlagEveryMalformedRecordIsFlaggedAndTheGoodOnesLand() {
        writer = TestWriters.against(db).connector("malformed-sink").policy(ErrorPolicy.FLAG).start();
        writer.open(List.of(new TopicPartition(emp.topic, 0)));
        writer.put(goodAndBad());
        writer.preCommit();
        assertThat(db.rowsAsText("SELECT id, name FROM hr.emp ORDER BY id")).containsExactly("1|good", "5|good too");
        assertThat(db.rowsAsText("SELECT kafka_offset, reason FROM tidemark.error_rows ORDER BY kafka_offset"))
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("1|the record carries tidemark.marker.* headers but its value "
                                + "is not an iteration marker"),
                        r -> assertThat(r).startsWith("2|malformed record: DataException: ").contains("op"),
                        r -> assertThat(r).startsWith("3|malformed record: DataException: "),
                        r -> assertThat(r).startsWith("4|malformed record: DataException: ").contains("after"));
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(6L);
    }

    @Test
    void underFailTheTableStopsAndTheOtherTablesGoOn() {
        writer = TestWriters.against(db).connector("malformed-sink").policy(ErrorPolicy.FAIL).start();
        writer.open(List.of(new TopicPartition(emp.topic, 0), new TopicPartition(dept.topic, 0)));
        List<SinkRecord> records = goodAndBad();
        records.add(dept.insert(dept.row(7, "dept", null)));
        writer.put(records);
        writer.preCommit();
        assertThat(db.rowsAsText("SELECT id FROM hr.dept")).containsExactly("7");
        assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'HR.EMP'"))
                .singleElement().asString().startsWith("ERROR_ABORTED|record server1.HR.EMP/0@1: the record carries "
                        + "tidemark.marker.* headers but its value is not an iteration marker");
    }

    /**
     * Source columns named like the sink's own staging columns ({@code __tidemark_*}) would collide
     * with them, or be left out of a FULL apply: the table stops with a message that says so and how
     * to rename the column, and the other tables go on.
     */
    @Test
    void aColumnNamedLikeAStagingColumnStopsItsTableWithTheReason() {
        Schema key = SchemaBuilder.struct().name("k").field("ID", Schema.INT64_SCHEMA).build();
        Schema row = SchemaBuilder.struct().name("v").field("ID", Schema.INT64_SCHEMA)
                .field("__TIDEMARK_DELETE", Schema.OPTIONAL_BOOLEAN_SCHEMA).build();
        TestTable odd = new TestTable("ODD", 0, new AtomicLong(), key, row);
        writer = TestWriters.against(db).connector("reserved-sink").policy(ErrorPolicy.FAIL).start();
        writer.open(List.of(new TopicPartition(odd.topic, 0), new TopicPartition(dept.topic, 0)));
        writer.put(List.of(odd.insert(odd.events.row("ID", 1L, "__TIDEMARK_DELETE", true)),
                dept.insert(dept.row(7, "dept", null))));
        writer.preCommit();
        assertThat(db.rowsAsText("SELECT id FROM hr.dept")).containsExactly("7");
        assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'HR.ODD'"))
                .singleElement().asString().startsWith("ERROR_ABORTED|")
                .contains("__TIDEMARK_DELETE").contains("reserved").contains("column.rename");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'hr' AND tablename = 'odd'")).isZero();
    }
}
