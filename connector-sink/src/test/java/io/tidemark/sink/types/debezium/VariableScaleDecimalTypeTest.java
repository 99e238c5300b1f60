package io.tidemark.sink.types.debezium;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

/** io.debezium.data.VariableScaleDecimal: Oracle NUMBER without precision and FLOAT. */
class VariableScaleDecimalTypeTest {

    /** As Debezium's SchemaFactory builds it. */
    static final Schema SCHEMA = SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME).version(1)
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).optional().build();

    static Struct value(String decimal) {
        BigDecimal d = new BigDecimal(decimal);
        return new Struct(SCHEMA).put("scale", d.scale()).put("value", d.unscaledValue().toByteArray());
    }

    @Test
    void writesEveryDigit() {
        assertThat(copyText(SCHEMA, value("123.45"))).isEqualTo("123.45");
        assertThat(copyText(SCHEMA, value("-0.001"))).isEqualTo("-0.001");
        assertThat(copyText(SCHEMA, value("0"))).isEqualTo("0");
        assertThat(copyText(SCHEMA, value("-9223372036854775808"))).isEqualTo("-9223372036854775808");
        assertThat(copyText(SCHEMA, value("3.14159265358979323846264338327950288419716939937510")))
                .isEqualTo("3.14159265358979323846264338327950288419716939937510");
        assertThat(copyText(SCHEMA, value("1E+125"))).as("Oracle's largest magnitudes, negative scale")
                .isEqualTo("1" + "0".repeat(125));
        assertThat(copyText(SCHEMA, value("-1.5E-130"))).isEqualTo("-0." + "0".repeat(129) + "15");
        assertThat(copyText(SCHEMA, value("0.1"))).as("never through double").isEqualTo("0.1");
    }

    @Test
    void acceptsBuffersAndRefusesWhatIsNotTheStruct() {
        Struct avro = new Struct(SCHEMA).put("scale", 3).put("value", ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0x38}));
        assertThat(copyText(SCHEMA, avro)).isEqualTo("-0.200");
        Struct slice = new Struct(SCHEMA).put("scale", 3).put("value", ByteBuffer.wrap(new byte[] {9, (byte) 0xFF, 0x38, 9}, 1, 2));
        assertThat(copyText(SCHEMA, slice)).as("a buffer over part of an array").isEqualTo("-0.200");
        assertThat(VariableScaleDecimalType.decimal(slice)).isEqualByComparingTo("-0.2");
        assertThat(((ByteBuffer) slice.get("value")).position()).as("left as it was").isEqualTo(1);
        assertThatThrownBy(() -> copyText(SCHEMA, new BigDecimal("1"))).isInstanceOf(BadValueException.class)
                .hasMessageContaining("VariableScaleDecimal struct");
        Struct empty = new Struct(SCHEMA).put("scale", 0).put("value", new byte[0]);
        assertThatThrownBy(() -> copyText(SCHEMA, empty)).isInstanceOf(BadValueException.class);
    }

    @Test
    void readsTheFieldsByNameWhateverTheirOrder() {
        // The encoder reads scale and value at their usual positions first; another order must not swap them.
        Schema swapped = SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME).version(1)
                .field("value", Schema.BYTES_SCHEMA).field("scale", Schema.INT32_SCHEMA).optional().build();
        Struct v = new Struct(swapped).put("value", new byte[] {0x30, 0x39}).put("scale", 2);
        assertThat(copyText(swapped, v)).isEqualTo("123.45");
        assertThat(VariableScaleDecimalType.decimal(v)).isEqualByComparingTo("123.45");
        Schema scaleOnly = SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME)
                .field("scale", Schema.INT32_SCHEMA).optional().build();
        assertThatThrownBy(() -> copyText(scaleOnly, new Struct(scaleOnly).put("scale", 1)))
                .hasMessageContaining("value");
    }

    @Test
    void isAnUnconstrainedNumeric() {
        assertThat(sqlType(SCHEMA)).isEqualTo("numeric");
        assertThat(incompatibility("numeric", SCHEMA)).isNull();
        assertThat(incompatibility("numeric(38,10)", SCHEMA)).isEqualTo("column type numeric(38,10) cannot hold"
                + " io.debezium.data.VariableScaleDecimal values: numbers of any precision and scale need an unconstrained numeric");
        assertThat(incompatibility("double precision", SCHEMA)).isNotNull();
        Schema oracleFloat = source(SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME)
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA), "FLOAT", 126, null).build();
        assertThat(sqlType(oracleFloat)).isEqualTo("numeric");
        assertThat(incompatibility("real", oracleFloat)).startsWith("column type real cannot hold FLOAT(126) values");
    }
}
