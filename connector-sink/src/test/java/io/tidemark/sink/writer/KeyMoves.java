package io.tidemark.sink.writer;

import static io.tidemark.sink.writer.UnavailableValuesTest.KEY;
import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER;
import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER_BYTES;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Primary-key changes of a document row as Debezium writes them: the old key's delete (header
 * {@code __debezium.newkey}) and tombstone in the old key's partition, the new key's create (header
 * {@code __debezium.oldkey}) with the unavailable-value placeholder for its LOBs in the new key's.
 */
final class KeyMoves {

    private KeyMoves() {
    }

    /** A row with every value, as an insert or snapshot carries it. */
    static Struct full(TestTable table, long id) {
        return table.events.row("ID", id, "NAME", "moved " + id, "NOTE", "text " + id,
                "DATA", ("bytes " + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The delete (and tombstone) of {@code from} in its partition, the create of {@code to} in the other. */
    static SinkRecord[] move(TestTable fromPartition, long from, TestTable toPartition, long to) {
        Struct before = fromPartition.events.row("ID", from, "NAME", "moved " + from, "NOTE", null, "DATA", null);
        Struct after = toPartition.events.row("ID", to, "NAME", "moved " + from, "NOTE", PLACEHOLDER,
                "DATA", PLACEHOLDER_BYTES);
        ConnectHeaders onDelete = new ConnectHeaders();
        onDelete.add("__debezium.newkey", toPartition.events.keyOf(after), KEY);
        ConnectHeaders onCreate = new ConnectHeaders();
        onCreate.add("__debezium.oldkey", fromPartition.events.keyOf(before), KEY);
        return new SinkRecord[] {withHeaders(fromPartition.delete(before), onDelete),
                withHeaders(fromPartition.tombstone(before), new ConnectHeaders()),
                withHeaders(toPartition.insert(after), onCreate)};
    }

    private static SinkRecord withHeaders(SinkRecord r, ConnectHeaders headers) {
        return new SinkRecord(r.topic(), r.kafkaPartition(), r.keySchema(), r.key(), r.valueSchema(), r.value(),
                r.kafkaOffset(), null, null, headers);
    }
}
