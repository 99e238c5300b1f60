package io.tidemark.sink.writer;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.testkit.DebeziumEvents;

/**
 * Debezium change events for one Oracle-like table (ID, NAME, NOTE as a CLOB), as SinkRecords at
 * increasing offsets of one partition: what a task receives after the converter.
 */
final class TestTable {

    static final Schema KEY = SchemaBuilder.struct().name("server1.HR.EMP.Key").field("ID", Schema.INT64_SCHEMA).build();
    static final Schema ROW = SchemaBuilder.struct().name("server1.HR.EMP.Value")
            .field("ID", Schema.INT64_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
            .field("NOTE", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    final DebeziumEvents events;
    final String topic;
    final int partition;
    final AtomicLong offset;

    TestTable(String table, int partition, AtomicLong offset) {
        this(table, partition, offset, KEY, ROW);
    }

    TestTable(String table, int partition, AtomicLong offset, Schema key, Schema row) {
        this.events = new DebeziumEvents("server1", "HR", table, key, row);
        this.topic = events.topic();
        this.partition = partition;
        this.offset = offset;
    }

    Struct row(long id, String name, String note) {
        return events.row("ID", id, "NAME", name, "NOTE", note);
    }

    SinkRecord record(Struct key, Schema valueSchema, Object value) {
        return new SinkRecord(topic, partition, key == null ? null : key.schema(), key, valueSchema, value,
                offset.getAndIncrement());
    }

    SinkRecord read(Struct row) {
        return record(events.keyOf(row), events.envelopeSchema(), events.envelope("r", null, row));
    }

    SinkRecord insert(Struct row) {
        return record(events.keyOf(row), events.envelopeSchema(), events.envelope("c", null, row));
    }

    SinkRecord update(Struct before, Struct after) {
        return record(events.keyOf(after), events.envelopeSchema(), events.envelope("u", before, after));
    }

    SinkRecord delete(Struct before) {
        return record(events.keyOf(before), events.envelopeSchema(), events.envelope("d", before, null));
    }

    SinkRecord tombstone(Struct row) {
        return record(events.keyOf(row), null, null);
    }

    /** Marker N in this partition, as the source writes it: the topic has {@code partitionCount} partitions. */
    SinkRecord marker(long iteration, int partitionCount, boolean isFinal) {
        io.tidemark.common.marker.IterationMarker marker = new io.tidemark.common.marker.IterationMarker(iteration,
                Long.toString(1000 + iteration), System.currentTimeMillis(), isFinal, partitionCount);
        return new SinkRecord(topic, partition, null, null, io.tidemark.common.marker.IterationMarker.VALUE_SCHEMA,
                marker.toStruct(), offset.getAndIncrement(), null, null,
                marker.addTo(new org.apache.kafka.connect.header.ConnectHeaders()));
    }

    SinkRecord truncate() {
        return record(null, events.envelopeSchema(), events.envelope("t", null, null));
    }
}
