package io.tidemark.sink.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.debezium.VariableScaleDecimalType;

/** Keys are equal here exactly when PostgreSQL finds them equal, whichever converter delivered them. */
class RowKeyTest {

    private static final Schema VSD = SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME).version(1)
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();

    private static RowKey key(String field, Schema schema, Object value) {
        Struct key = new Struct(SchemaBuilder.struct().field(field, schema).build());
        return RowKey.of(key.put(field, value));
    }

    private static Struct vsd(int scale, Object unscaled) {
        return new Struct(VSD).put("scale", scale).put("value", unscaled);
    }

    @Test
    void bytesCompareByContentAsArrayOrBuffer() {
        RowKey array = key("RW", Schema.BYTES_SCHEMA, new byte[] {1, 2});
        assertThat(key("RW", Schema.BYTES_SCHEMA, new byte[] {1, 2})).isEqualTo(array).hasSameHashCodeAs(array);
        assertThat(key("RW", Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {9, 1, 2}, 1, 2))).isEqualTo(array);
        assertThat(key("RW", Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {1, 3}))).isNotEqualTo(array);
    }

    /** Oracle NUMBER keys without precision: JSON hands the unscaled value over as byte[], Avro as ByteBuffer. */
    @Test
    void variableScaleDecimalKeysCompareByNumber() {
        RowKey five = key("ID", VSD, vsd(0, new byte[] {5}));
        assertThat(key("ID", VSD, vsd(0, new byte[] {5}))).isEqualTo(five).hasSameHashCodeAs(five);
        assertThat(key("ID", VSD, vsd(0, ByteBuffer.wrap(new byte[] {5})))).isEqualTo(five);
        assertThat(key("ID", VSD, vsd(1, new byte[] {50}))).as("5.0 = 5 in numeric").isEqualTo(five);
        // Same length, same scale, another number: Struct.toString() printed both alike for a ByteBuffer.
        assertThat(key("ID", VSD, vsd(0, ByteBuffer.wrap(new byte[] {7})))).isNotEqualTo(five);
        assertThat(key("ID", VSD, vsd(0, new byte[] {7}))).isNotEqualTo(five);
    }

    @Test
    void otherStructsCompareFieldByField() {
        Schema pair = SchemaBuilder.struct().name("x.Pair").field("A", Schema.BYTES_SCHEMA)
                .field("B", Schema.INT32_SCHEMA).build();
        RowKey one = key("K", pair, new Struct(pair).put("A", new byte[] {1}).put("B", 2));
        assertThat(key("K", pair, new Struct(pair).put("A", ByteBuffer.wrap(new byte[] {1})).put("B", 2))).isEqualTo(one);
        assertThat(key("K", pair, new Struct(pair).put("A", ByteBuffer.wrap(new byte[] {2})).put("B", 2))).isNotEqualTo(one);
        assertThat(key("K", VSD, vsd(0, new byte[0]))).as("a malformed number still makes a key")
                .isEqualTo(key("K", VSD, vsd(0, ByteBuffer.allocate(0))));
    }

    @Test
    void decimalsCompareByValue() {
        Schema decimal = org.apache.kafka.connect.data.Decimal.schema(2);
        assertThat(key("N", decimal, new BigDecimal("1.00"))).isEqualTo(key("N", decimal, new BigDecimal("1.0")));
    }
}
