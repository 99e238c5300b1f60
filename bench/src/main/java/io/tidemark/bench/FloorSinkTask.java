package io.tidemark.bench;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Counts what it is given and drops it. The counter is per connector name and static, so the
 * benchmark (in the same JVM, the class loaded from the classpath) sees when all N arrived.
 */
public class FloorSinkTask extends SinkTask {

    private static final Map<String, AtomicLong> RECEIVED = new ConcurrentHashMap<>();

    private AtomicLong received;

    static long received(String connector) {
        AtomicLong n = RECEIVED.get(connector);
        return n == null ? 0 : n.get();
    }

    @Override
    public void start(Map<String, String> props) {
        received = RECEIVED.computeIfAbsent(props.get("name"), k -> new AtomicLong());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        received.addAndGet(records.size());
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "bench";
    }
}
