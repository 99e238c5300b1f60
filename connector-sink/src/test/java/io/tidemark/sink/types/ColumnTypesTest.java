package io.tidemark.sink.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.connect.ConnectDateType;
import io.tidemark.sink.types.connect.ConnectDecimalType;
import io.tidemark.sink.types.connect.ConnectInt64Type;
import io.tidemark.sink.types.connect.ConnectStringType;
import io.tidemark.sink.types.connect.ConnectTimeType;
import io.tidemark.sink.types.connect.ConnectTimestampType;
import io.tidemark.sink.types.debezium.MicroTimestampType;
import io.tidemark.sink.types.debezium.VariableScaleDecimalType;
import io.tidemark.sink.types.debezium.ZonedTimestampType;

class ColumnTypesTest {

    private final ColumnTypes types = ColumnTypes.standard();

    @Test
    void resolvesLogicalNamesBeforeConnectTypes() {
        assertThat(types.resolve(Decimal.schema(2))).isSameAs(ConnectDecimalType.INSTANCE);
        assertThat(types.resolve(Date.SCHEMA)).isSameAs(ConnectDateType.INSTANCE);
        assertThat(types.resolve(Time.SCHEMA)).isSameAs(ConnectTimeType.INSTANCE);
        assertThat(types.resolve(Timestamp.SCHEMA)).isSameAs(ConnectTimestampType.INSTANCE);
        assertThat(types.resolve(SchemaBuilder.int64().name(MicroTimestampType.LOGICAL_NAME).build()))
                .isSameAs(MicroTimestampType.INSTANCE);
        assertThat(types.resolve(SchemaBuilder.string().name(ZonedTimestampType.LOGICAL_NAME).build()))
                .isSameAs(ZonedTimestampType.INSTANCE);
        assertThat(types.resolve(SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME)
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build()))
                .as("a struct, but a known one").isSameAs(VariableScaleDecimalType.INSTANCE);
        assertThat(types.resolve(Schema.INT64_SCHEMA)).isSameAs(ConnectInt64Type.INSTANCE);
    }

    @Test
    void anUnknownLogicalNameFallsBackToItsPrimitive() {
        assertThat(types.resolve(SchemaBuilder.string().name("io.debezium.data.Ltree").build()))
                .isSameAs(ConnectStringType.INSTANCE);
    }

    @Test
    void everyStandardTypeIsRegisteredOnce() {
        List<ColumnType> all = StandardTypes.all();
        assertThat(all).doesNotHaveDuplicates().hasSize(33);
        for (ColumnType type : all) {
            for (String key : type.registrationKeys()) {
                assertThat(key).isNotBlank();
            }
        }
        assertThatThrownBy(() -> new ColumnTypes(List.of(ConnectStringType.INSTANCE, ConnectStringType.INSTANCE)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("STRING is registered twice");
    }

    @Test
    void structsAndMapsAreUnsupportedWithAClearMessage() {
        Schema point = SchemaBuilder.struct().name("io.debezium.data.geometry.Point").field("x", Schema.FLOAT64_SCHEMA).build();
        assertThatThrownBy(() -> types.resolve(point)).isInstanceOf(ColumnTypes.UnsupportedTypeException.class)
                .hasMessage("no PostgreSQL mapping for a field of Connect type STRUCT (io.debezium.data.geometry.Point);"
                        + " flatten or drop it with a transform before the sink");
        assertThatThrownBy(() -> types.resolve(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build()))
                .isInstanceOf(ColumnTypes.UnsupportedTypeException.class)
                .hasMessageStartingWith("no PostgreSQL mapping for a field of Connect type MAP");
    }
}
