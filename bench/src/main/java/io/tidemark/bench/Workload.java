package io.tidemark.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Struct;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.testkit.DebeziumEvents;

/**
 * A sequence of change events for {@link BenchTable}, as compact arrays (the rows themselves are
 * recomputed from id and version), and the target state they lead to.
 *
 * <ul>
 * <li>{@code insert}: N snapshot reads ({@code op=r}) of rows 1..N.</li>
 * <li>{@code mixed}: N changes, 50 % inserts ({@code c}) of new keys, 40 % updates ({@code u}, full
 * before and after images) and 10 % deletes ({@code d}, followed by the tombstone Debezium writes),
 * the updates and deletes picking among the 2,000 most recently inserted keys, so a key comes back
 * several times within one batch. The table grows to about N/2 rows.</li>
 * </ul>
 * Keys go to partition {@code id % partitions}, so each key's changes stay in order. Each partition
 * ends with a sentinel insert (id {@link #SENTINEL_BASE} + partition): a target that has every
 * sentinel and the expected row count has applied everything.
 */
final class Workload {

    static final long SENTINEL_BASE = 1_000_000_000_000L;
    private static final int RECENT_WINDOW = 2_000;

    static final byte READ = 'r';
    static final byte CREATE = 'c';
    static final byte UPDATE = 'u';
    static final byte DELETE = 'd';
    static final byte TOMBSTONE = 't';
    /** An iteration marker, into every partition (its iteration in {@code versions}). */
    static final byte MARKER = 'm';

    final String name;
    final int partitions;
    private byte[] ops = new byte[1024];
    private long[] ids = new long[1024];
    private int[] versions = new int[1024];
    private int size;
    /** id → version of the row in the final state (deleted rows absent). */
    final TreeMap<Long, Integer> expected = new TreeMap<>();

    private Workload(String name, int partitions) {
        this.name = name;
        this.partitions = partitions;
    }

    static Workload of(String name, int n, int partitions) {
        return switch (name) {
            case "insert" -> insert(n, partitions);
            case "mixed" -> mixed(n, partitions);
            default -> throw new IllegalArgumentException("unknown workload " + name + " (insert, mixed)");
        };
    }

    static Workload insert(int n, int partitions) {
        Workload w = new Workload("insert", partitions);
        for (long id = 1; id <= n; id++) {
            w.add(READ, id, 0);
            w.expected.put(id, 0);
        }
        w.sentinels();
        return w;
    }

    static Workload mixed(int n, int partitions) {
        return mixed(n, partitions, 0);
    }

    /**
     * The mixed workload cut into iterations as Tidemark's source cuts them: marker 0 first (an
     * empty snapshot), then a marker every {@code markerEvery} changes, and one after the last
     * change, so that a FULL sink applies everything.
     */
    static Workload mixedWithMarkers(int n, int partitions, int markerEvery) {
        return mixed(n, partitions, markerEvery);
    }

    private static Workload mixed(int n, int partitions, int markerEvery) {
        Workload w = new Workload(markerEvery > 0 ? "mixed-markers" : "mixed", partitions);
        int iteration = 0;
        if (markerEvery > 0) {
            w.add(MARKER, 0, iteration++);
        }
        SplittableRandom r = new SplittableRandom(42);
        long[] recent = new long[RECENT_WINDOW];
        int recentCount = 0;
        long nextId = 1;
        for (int i = 0; i < n; i++) {
            int dice = r.nextInt(100);
            long id = recentCount == 0 ? 0 : recent[r.nextInt(Math.min(recentCount, RECENT_WINDOW))];
            if (dice < 50 || id == 0 || !w.expected.containsKey(id)) {
                id = nextId++;
                w.add(CREATE, id, 0);
                w.expected.put(id, 0);
                recent[recentCount++ % RECENT_WINDOW] = id;
            } else if (dice < 90) {
                int version = w.expected.get(id) + 1;
                w.add(UPDATE, id, version);
                w.expected.put(id, version);
            } else {
                w.add(DELETE, id, w.expected.remove(id));
                w.add(TOMBSTONE, id, 0);
            }
            if (markerEvery > 0 && (i + 1) % markerEvery == 0) {
                w.add(MARKER, 0, iteration++);
            }
        }
        w.sentinels();
        if (markerEvery > 0) {
            w.add(MARKER, 0, iteration);
        }
        return w;
    }

    /** The markers in the topic (each is in every partition). */
    int markers() {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (ops[i] == MARKER) {
                count++;
            }
        }
        return count;
    }

    private void sentinels() {
        for (int p = 0; p < partitions; p++) {
            add(CREATE, SENTINEL_BASE + p, 0);
            expected.put(SENTINEL_BASE + p, 0);
        }
    }

    private void add(byte op, long id, int version) {
        if (size == ops.length) {
            ops = Arrays.copyOf(ops, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
            versions = Arrays.copyOf(versions, size * 2);
        }
        ops[size] = op;
        ids[size] = id;
        versions[size] = version;
        size++;
    }

    /** Records in the topic (tombstones, sentinels and a marker per partition included). */
    int records() {
        return size + markers() * (partitions - 1);
    }

    int partitionOf(long id) {
        return id >= SENTINEL_BASE ? (int) (id - SENTINEL_BASE) : (int) (id % partitions);
    }

    /** The events of one partition as Debezium's Oracle connector would write them, serialised with JsonConverter. */
    void produce(BenchTable table, DebeziumEvents events, int partition, Consumer<ProducerRecord<byte[], byte[]>> out) {
        for (int i = 0; i < size; i++) {
            long id = ids[i];
            if (ops[i] == MARKER) {
                out.accept(marker(events, partition, versions[i]));
                continue;
            }
            if (partitionOf(id) != partition) {
                continue;
            }
            ProducerRecord<byte[], byte[]> record = switch (ops[i]) {
                case READ -> events.read(table.row(id, versions[i]));
                case CREATE -> events.insert(table.row(id, versions[i]));
                case UPDATE -> events.update(table.row(id, versions[i] - 1), table.row(id, versions[i]));
                case DELETE -> events.delete(table.row(id, versions[i]));
                case TOMBSTONE -> events.tombstone(keyRow(table, id));
                default -> throw new IllegalStateException();
            };
            out.accept(DebeziumEvents.toPartition(record, partitionOf(id)));
        }
    }

    private ProducerRecord<byte[], byte[]> marker(DebeziumEvents events, int partition, int iteration) {
        IterationMarker marker = new IterationMarker(iteration, Long.toString(10_000L + iteration),
                System.currentTimeMillis(), false, partitions);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(events.topic(), partition, null,
                events.serializeValue(IterationMarker.VALUE_SCHEMA, marker.toStruct()));
        marker.addTo(new org.apache.kafka.connect.header.ConnectHeaders()).forEach(h -> record.headers().add(h.key(),
                String.valueOf(h.value()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return record;
    }

    private static Struct keyRow(BenchTable table, long id) {
        return new Struct(table.imageSchema).put("ID", id);
    }

    /** Row counts of the final state. */
    int expectedRows() {
        return expected.size();
    }
}
