package io.tidemark.common.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class IterationMarkerTest {

    private final IterationMarker marker = new IterationMarker(7, "123456789", 1_700_000_000_000L, true);

    @Test
    void valueRoundTripsThroughStruct() {
        Struct struct = marker.toStruct();
        assertThat(struct.schema().name()).isEqualTo("io.tidemark.IterationMarker");
        assertThat(IterationMarker.fromStruct(struct)).isEqualTo(marker);
    }

    @Test
    void thePartitionCountTravelsAndAVersionOneMarkerReadsAsUnknown() {
        IterationMarker marker = new IterationMarker(7, "42", 1_700_000_000_000L, true, 6);
        assertThat(IterationMarker.fromStruct(marker.toStruct())).isEqualTo(marker);
        assertThat(IterationMarker.fromHeaders(marker.addTo(new org.apache.kafka.connect.header.ConnectHeaders())))
                .contains(marker);
        org.apache.kafka.connect.data.Schema v1 = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .name(IterationMarker.SCHEMA_NAME).version(1)
                .field("iteration", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
                .field("source_position", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .field("created_ts_ms", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
                .field("final", org.apache.kafka.connect.data.Schema.BOOLEAN_SCHEMA).build();
        org.apache.kafka.connect.data.Struct old = new org.apache.kafka.connect.data.Struct(v1)
                .put("iteration", 7L).put("source_position", "42").put("created_ts_ms", 1L).put("final", false);
        assertThat(IterationMarker.fromStruct(old).partitionCount()).isZero();
    }

    @Test
    void recognisedFromValue() {
        SinkRecord record = new SinkRecord("t", 0, null, null, IterationMarker.VALUE_SCHEMA, marker.toStruct(), 5);
        assertThat(IterationMarker.from(record)).contains(marker);
    }

    @Test
    void recognisedFromHeadersAlone() {
        ConnectHeaders headers = new ConnectHeaders();
        marker.addTo(headers);
        SinkRecord record = new SinkRecord("t", 0, null, null, null, null, 5, null, null, headers);
        assertThat(IterationMarker.from(record)).contains(marker);
    }

    @Test
    void recognisedFromHeadersThatLostTheirTypes() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(IterationMarker.HEADER_ITERATION, "7")
                .addString(IterationMarker.HEADER_SOURCE_POSITION, "123456789")
                .addString(IterationMarker.HEADER_CREATED_TS_MS, "1700000000000")
                .addString(IterationMarker.HEADER_FINAL, "true");
        assertThat(IterationMarker.fromHeaders(headers)).contains(marker);
    }

    @Test
    void ordinaryChangeEventIsNoMarker() {
        Schema schema = SchemaBuilder.struct().name("server.HR.EMP.Value").field("ID", Schema.INT32_SCHEMA).build();
        SinkRecord record = new SinkRecord("t", 0, null, null, schema, new Struct(schema).put("ID", 1), 5);
        assertThat(IterationMarker.from(record)).isEmpty();
    }

    @Test
    void malformedIterationHeaderIsAClearError() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(IterationMarker.HEADER_ITERATION, "seven");
        assertThatThrownBy(() -> IterationMarker.fromHeaders(headers))
                .hasMessageContaining("tidemark.marker.iteration is not a number: seven");
    }

    @Test
    void negativeIterationIsRefused() {
        assertThatThrownBy(() -> new IterationMarker(-1, "0", 0, false)).hasMessageContaining("negative");
    }
}
