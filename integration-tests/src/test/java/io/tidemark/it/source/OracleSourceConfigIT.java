package io.tidemark.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

/**
 * What {@link OracleSourceMarkerIT} relies on that can be checked without Docker, so that the one
 * end-to-end Oracle test is right before it ever runs.
 */
class OracleSourceConfigIT {

    @Test
    void theTopicsTheOracleTestReadsAreTheOnesDebeziumWritesAndKafkaAccepts() {
        DebeziumTopicNames debezium = new DebeziumTopicNames("ora");
        for (String table : new String[] {"T1", "T2", "T3"}) {
            String topic = OracleSourceMarkerIT.topic(table);
            assertThatCode(() -> Topic.validate(topic)).as(topic).doesNotThrowAnyException();
            assertThat(topic).isEqualTo(debezium.topic("FREEPDB1", "C##DBZUSER", table));
        }
    }
}
