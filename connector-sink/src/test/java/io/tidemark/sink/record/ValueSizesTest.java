package io.tidemark.sink.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class ValueSizesTest {

    private static final Schema DECIMAL = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).optional().build();
    private static final Schema ROW = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("raw", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("amount", DECIMAL)
            .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .build();

    @Test
    void textCountsItsLengthBytesTwiceAndEverythingElseEight() {
        Struct row = new Struct(ROW).put("id", 7L).put("name", "abcde").put("raw", ByteBuffer.wrap(new byte[3]))
                .put("amount", new Struct(DECIMAL).put("scale", 2).put("value", new byte[] {1, 2}))
                .put("tags", Arrays.asList("xy", null)).put("flag", true);
        // id 8, name 5, raw 6, amount (scale 8 + value 4), tags (2 + 8), flag 8
        assertThat(ValueSizes.of(row)).isEqualTo(8 + 5 + 6 + 12 + 10 + 8);
    }

    @Test
    void aNullCountsEightWhateverItsType() {
        Struct row = new Struct(ROW).put("id", 1L);
        assertThat(ValueSizes.of(row)).isEqualTo(6 * 8);
    }

    @Test
    void eachSchemaIsMeasuredByItsOwnFields() {
        Schema other = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        assertThat(ValueSizes.of(new Struct(ROW).put("id", 1L).put("name", "abc"))).isEqualTo(3 + 5 * 8);
        assertThat(ValueSizes.of(new Struct(other).put("id", "abcdef"))).isEqualTo(6);
        assertThat(ValueSizes.of(new Struct(ROW).put("id", 1L).put("name", "a"))).isEqualTo(1 + 5 * 8);
    }
}
