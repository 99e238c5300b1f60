package io.tidemark.sink.metrics;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Sanitizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.writer.ConsumerControl;

/**
 * The sink task's consumer lag, read from the consumer's own metrics in the worker's JMX. Connect
 * does not hand a task its consumer, but the consumer registers, per partition, {@code records-lag}:
 * the records between its position and the partition's end as of its last fetch of it (recorded
 * whenever it delivers records of the partition). Its client id is Connect's,
 * {@code connector-consumer-<connector>-<task>}, unless the connector overrides it. Without a JMX
 * reporter in the worker, or under another client id, the lag is unknown.
 */
public final class ConsumerLag {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private static final String FETCH_METRICS = "kafka.consumer:type=consumer-fetch-manager-metrics";

    private final MBeanServer server;
    private final String clientTag;
    private final ObjectName client;
    private final Map<TopicPartition, ObjectName> names = new HashMap<>();
    private boolean warned;

    public ConsumerLag(MBeanServer server, String clientId) {
        this.server = server;
        this.clientTag = Sanitizer.jmxSanitize(clientId);
        this.client = name(FETCH_METRICS + ",client-id=" + clientTag);
    }

    /** The lag of the consumer Connect runs for this task ({@code props} are the task's configuration). */
    public static ConsumerLag ofTask(Map<String, String> props, String connector, String task) {
        String clientId = props.getOrDefault("consumer.override.client.id", "connector-consumer-" + connector + "-" + task);
        return new ConsumerLag(ManagementFactory.getPlatformMBeanServer(), clientId);
    }

    /** As {@link ConsumerControl#lag}: 0, a partition's lag, or {@link ConsumerControl#UNKNOWN_LAG}. */
    public long lag(Collection<TopicPartition> partitions) {
        if (!server.isRegistered(client)) {
            if (!warned) {
                warned = true;
                LOG.info("The consumer's metrics ({}) are not in this worker's JMX: a poll of less than max.poll.records "
                        + "alone tells the sink task that it is caught up", client);
            }
            return ConsumerControl.UNKNOWN_LAG;
        }
        for (TopicPartition tp : partitions) {
            long lag = lag(tp);
            if (lag != 0) {
                return lag;
            }
        }
        return 0;
    }

    private long lag(TopicPartition tp) {
        ObjectName name = names.computeIfAbsent(tp, this::registeredName);
        if (name == null) {
            names.remove(tp);
            return 0; // nothing delivered from it yet: its first fetch will tell
        }
        try {
            Object value = server.getAttribute(name, "records-lag");
            return value instanceof Number n && n.doubleValue() > 0 ? (long) Math.ceil(n.doubleValue()) : 0;
        } catch (InstanceNotFoundException e) {
            names.remove(tp); // the partition went to another task and back: its metric is registered anew
            return 0;
        } catch (JMException e) {
            return ConsumerControl.UNKNOWN_LAG;
        }
    }

    /** The partition's metric: by the topic's name, or by the deprecated form with its dots as underscores. */
    private ObjectName registeredName(TopicPartition tp) {
        for (String topic : new String[] {tp.topic(), tp.topic().replace('.', '_')}) {
            ObjectName name = name(FETCH_METRICS + ",client-id=" + clientTag + ",topic=" + Sanitizer.jmxSanitize(topic)
                    + ",partition=" + tp.partition());
            if (server.isRegistered(name)) {
                return name;
            }
        }
        return null;
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
