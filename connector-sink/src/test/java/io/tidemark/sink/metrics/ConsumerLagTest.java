package io.tidemark.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.management.MBeanServerFactory;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.writer.ConsumerControl;

/**
 * The consumer's lag as the sink task reads it: from a real consumer's metrics in this JVM's JMX,
 * under the client id Connect gives a sink task's consumer, for a topic named as Debezium names them
 * (with dots, which Kafka's metrics also register in a deprecated form with underscores).
 */
class ConsumerLagTest {

    private static final String TOPIC = "ora.HR.EMP";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        kafka.createTopic(TOPIC, 1);
        for (int i = 0; i < 50; i++) {
            kafka.produce(TOPIC, 0, "k" + i, "v" + i);
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.stop();
    }

    @Test
    void theLagIsPositiveWhileRecordsWaitAndZeroAtTheEnd() {
        ConsumerLag lag = ConsumerLag.ofTask(Map.of(), "hr-sink", "0");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("connector-consumer-hr-sink-0")) {
            assertThat(lag.lag(List.of(TP))).as("nothing fetched yet").isZero();
            int seen = consumer.poll(Duration.ofSeconds(10)).count();
            assertThat(seen).isEqualTo(10);

            assertThat(lag.lag(List.of(TP))).as("after the first poll of 10").isEqualTo(40);

            while (seen < 50) {
                seen += consumer.poll(Duration.ofSeconds(10)).count();
            }
            assertThat(lag.lag(List.of(TP))).as("every record delivered").isZero();
        }
    }

    @Test
    void aConsumerUnderAnotherClientIdIsNotTheTasks() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("someone-else")) {
            assertThat(consumer.poll(Duration.ofSeconds(10)).count()).isEqualTo(10);

            assertThat(ConsumerLag.ofTask(Map.of(), "hr-sink", "1").lag(List.of(TP))).isEqualTo(ConsumerControl.UNKNOWN_LAG);
            assertThat(ConsumerLag.ofTask(Map.of("consumer.override.client.id", "someone-else"), "hr-sink", "1")
                    .lag(List.of(TP))).as("the connector's own client id").isEqualTo(40);
        }
    }

    @Test
    void withoutTheConsumersMetricsTheLagIsUnknown() {
        ConsumerLag lag = new ConsumerLag(MBeanServerFactory.newMBeanServer(), "connector-consumer-hr-sink-0");

        assertThat(lag.lag(List.of(TP))).isEqualTo(ConsumerControl.UNKNOWN_LAG);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String clientId) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.createConsumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        consumer.assign(List.of(TP));
        consumer.seekToBeginning(List.of(TP));
        return consumer;
    }
}
