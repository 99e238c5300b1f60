package io.tidemark.source.marker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partition counts from the Kafka cluster, asked afresh for every marker so that a topic that grew
 * partitions gets the marker in all of them. Missing topics are created with the connector's
 * topic.creation settings. A cluster that does not answer makes the task retry (Debezium restarts
 * it from the last committed offset, so the marker row is read again).
 */
public final class KafkaTopicPartitions implements TopicPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicPartitions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int DESCRIBE_ATTEMPTS = 10;

    private final Supplier<Admin> adminFactory;
    private final TopicCreationSettings creation;
    private Admin admin;

    public KafkaTopicPartitions(Supplier<Admin> adminFactory, TopicCreationSettings creation) {
        this.adminFactory = adminFactory;
        this.creation = creation;
    }

    @Override
    public Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> counts = new HashMap<>();
        List<String> missing = describe(topics, counts);
        // A created topic may take a moment to show up in the metadata of the broker that answers.
        for (int attempt = 1; !missing.isEmpty(); attempt++) {
            if (attempt == 1) {
                create(missing);
            } else if (attempt > DESCRIBE_ATTEMPTS) {
                throw new RetriableException("Topics " + missing + " were created but do not show up in the cluster's metadata");
            } else {
                sleep(200L * attempt);
            }
            missing = describe(missing, counts);
        }
        return counts;
    }

    private List<String> describe(Collection<String> topics, Map<String, Integer> counts) {
        List<String> missing = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> futures = admin().describeTopics(topics).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : futures.entrySet()) {
            try {
                counts.put(entry.getKey(), entry.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).partitions().size());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(entry.getKey());
                } else {
                    throw failure("describe topic " + entry.getKey(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw failure("describe topic " + entry.getKey(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("describe topic " + entry.getKey(), e);
            }
        }
        return missing;
    }

    private void create(List<String> topics) {
        List<NewTopic> newTopics = topics.stream().map(creation::newTopic).toList();
        LOG.info("Creating table topics for the marker: {}", newTopics);
        admin().createTopics(newTopics).values().forEach((topic, future) -> {
            try {
                future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // the worker may have created it meanwhile
                    throw failure("create topic " + topic, e.getCause());
                }
            } catch (TimeoutException e) {
                throw failure("create topic " + topic, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("create topic " + topic, e);
            }
        });
    }

    private static RetriableException failure(String what, Throwable cause) {
        return new RetriableException("Cannot " + what + " for the iteration marker (iteration.admin.*): "
                + cause.getMessage(), cause);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("Interrupted while waiting for created topics", e);
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = adminFactory.get();
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
