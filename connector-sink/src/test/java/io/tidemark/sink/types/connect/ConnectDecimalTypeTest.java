package io.tidemark.sink.types.connect;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

class ConnectDecimalTypeTest {

    /** As Debezium builds it: Decimal with scale, precision in {@code connect.decimal.precision}. */
    private static Schema decimal(Integer precision, int scale) {
        SchemaBuilder b = Decimal.builder(scale);
        if (precision != null) {
            b.parameter(ConnectDecimalType.PRECISION_PARAM, precision.toString());
        }
        return b.build();
    }

    @Test
    void writesEveryDigitInPlainNotation() {
        Schema s = decimal(10, 2);
        assertThat(copyText(s, new BigDecimal("-123.45"))).isEqualTo("-123.45");
        assertThat(copyText(s, new BigDecimal("0.00"))).isEqualTo("0.00");
        assertThat(copyText(s, new BigDecimal("12345678.90"))).isEqualTo("12345678.90");
        Schema wide = decimal(38, 0);
        assertThat(copyText(wide, new BigDecimal("-99999999999999999999999999999999999999")))
                .isEqualTo("-99999999999999999999999999999999999999");
        Schema fine = decimal(38, 30);
        assertThat(copyText(fine, new BigDecimal("0.000000000000000000000000000001"))).isEqualTo("0.000000000000000000000000000001");
        assertThat(copyText(decimal(5, -2), new BigDecimal("1.234E+6"))).isEqualTo("1234000");
    }

    @Test
    void acceptsTheRawBytesOfAConverterWithoutLogicalTypes() {
        Schema s = decimal(10, 3);
        byte[] raw = Decimal.fromLogical(s, new BigDecimal("-1.500"));
        assertThat(copyText(s, raw)).isEqualTo("-1.500");
        assertThat(copyText(s, ByteBuffer.wrap(raw))).isEqualTo("-1.500");
        byte[] framed = new byte[raw.length + 2];
        System.arraycopy(raw, 0, framed, 1, raw.length);
        assertThat(copyText(s, ByteBuffer.wrap(framed, 1, raw.length))).as("a buffer over part of an array")
                .isEqualTo("-1.500");
        assertThatThrownBy(() -> copyText(s, 1.5d)).isInstanceOf(BadValueException.class)
                .hasMessageContaining("expected a decimal");
    }

    @Test
    void createsNumericOfTheDeclaredPrecisionAndScale() {
        assertThat(sqlType(decimal(10, 2))).isEqualTo("numeric(10,2)");
        assertThat(sqlType(decimal(20, 0))).as("NUMBER(20) is too wide for bigint").isEqualTo("numeric(20)");
        assertThat(sqlType(decimal(null, 2))).isEqualTo("numeric");
        assertThat(sqlType(source(Decimal.builder(4), "NUMBER", 12, 4).build())).isEqualTo("numeric(12,4)");
        assertThat(sqlType(source(Decimal.builder(-2), "NUMBER", 20, -2)
                .parameter(ConnectDecimalType.PRECISION_PARAM, "20").build())).isEqualTo("numeric(22)");
        assertThat(sqlType(decimal(2, 5))).as("NUMBER(2,5) holds up to 0.00099").isEqualTo("numeric(5,5)");
        assertThat(sqlType(decimal(1001, 0))).isEqualTo("numeric");
    }

    @Test
    void acceptsColumnsWithAsManyDigitsOnBothSidesOfThePoint() {
        Schema s = decimal(10, 2);
        assertThat(incompatibility("numeric(10,2)", s)).isNull();
        assertThat(incompatibility("numeric(12,4)", s)).isNull();
        assertThat(incompatibility("numeric", s)).isNull();
        assertThat(incompatibility("integer", decimal(9, 0))).isNull();
        assertThat(incompatibility("bigint", decimal(18, 0))).isNull();
        assertThat(incompatibility("numeric", decimal(null, 3))).isNull();
    }

    @Test
    void refusesColumnsThatWouldRoundOrOverflow() {
        Schema s = decimal(10, 2);
        assertThat(incompatibility("numeric(8,2)", s)).isEqualTo("column type numeric(8,2) cannot hold Decimal(10,2) values:"
                + " numbers with 8 digits before the point and 2 after it would not fit");
        assertThat(incompatibility("numeric(10,1)", s)).isNotNull();
        assertThat(incompatibility("numeric(10,3)", s)).as("only 7 digits before the point").isNotNull();
        assertThat(incompatibility("numeric(11,3)", s)).as("8 before, 3 after").isNull();
        assertThat(incompatibility("bigint", decimal(20, 0))).isNotNull();
        assertThat(incompatibility("integer", s)).isNotNull();
        assertThat(incompatibility("double precision", s)).endsWith("floating point would round decimal digits");
        assertThat(incompatibility("numeric(38,2)", decimal(null, 2))).isEqualTo("column type numeric(38,2) cannot hold"
                + " Decimal(scale 2) values: their precision is not known, so only an unconstrained numeric is safe");
        assertThat(incompatibility("numeric(9,2)", source(Decimal.builder(2), "NUMBER", 10, 2).build()))
                .startsWith("column type numeric(9,2) cannot hold NUMBER(10,2) values");
        assertThat(incompatibility("text", s)).isEqualTo("column type text cannot hold Decimal(10,2) values");
    }
}
