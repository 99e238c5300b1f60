package io.tidemark.sink.types.connect;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.sink.types.debezium.YearType;

class IntegerTypesTest {

    private static Schema number(SchemaBuilder builder, int precision, int scale) {
        return source(builder, "NUMBER", precision, scale).build();
    }

    @Test
    void writesEveryWidthIncludingTheExtremes() {
        assertThat(copyText(Schema.INT8_SCHEMA, (byte) -128)).isEqualTo("-128");
        assertThat(copyText(Schema.INT8_SCHEMA, (byte) 0)).isEqualTo("0");
        assertThat(copyText(Schema.INT16_SCHEMA, (short) 32767)).isEqualTo("32767");
        assertThat(copyText(Schema.INT32_SCHEMA, Integer.MIN_VALUE)).isEqualTo("-2147483648");
        assertThat(copyText(Schema.INT64_SCHEMA, Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        assertThat(copyText(Schema.INT64_SCHEMA, Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(copyText(Schema.INT64_SCHEMA, 42)).as("an Integer where a long belongs is still an integer").isEqualTo("42");
    }

    @Test
    void refusesWhatIsNotAnInteger() {
        assertThatThrownBy(() -> copyText(Schema.INT32_SCHEMA, 1.5d)).isInstanceOf(BadValueException.class)
                .hasMessage("expected an integer (INT32) but got java.lang.Double '1.5'");
        assertThatThrownBy(() -> copyText(Schema.INT64_SCHEMA, "7")).isInstanceOf(BadValueException.class);
    }

    @Test
    void createsTheNarrowestIntegerThatHoldsTheSourceNumber() {
        assertThat(sqlType(Schema.INT8_SCHEMA)).as("PostgreSQL has no one-byte integer").isEqualTo("smallint");
        assertThat(sqlType(Schema.INT16_SCHEMA)).isEqualTo("smallint");
        assertThat(sqlType(Schema.INT32_SCHEMA)).isEqualTo("integer");
        assertThat(sqlType(Schema.INT64_SCHEMA)).isEqualTo("bigint");
        assertThat(sqlType(number(SchemaBuilder.int8(), 2, 0))).isEqualTo("smallint");
        assertThat(sqlType(number(SchemaBuilder.int16(), 3, 0))).isEqualTo("smallint");
        assertThat(sqlType(number(SchemaBuilder.int32(), 7, 0))).isEqualTo("integer");
        assertThat(sqlType(number(SchemaBuilder.int32(), 3, -2))).as("NUMBER(3,-2) is 5 digits wide").isEqualTo("integer");
        assertThat(sqlType(number(SchemaBuilder.int64(), 12, 0))).isEqualTo("bigint");
        assertThat(sqlType(number(SchemaBuilder.int64(), 4, 0))).as("the source's width is trusted").isEqualTo("smallint");
        assertThat(sqlType(source(SchemaBuilder.int32(), "INT4", 10, 0).build())).isEqualTo("integer");
        Schema year = SchemaBuilder.int32().name(YearType.LOGICAL_NAME).build();
        assertThat(ColumnTypes.standard().resolve(year)).isSameAs(YearType.INSTANCE);
        assertThat(sqlType(year)).isEqualTo("integer");
        assertThat(copyText(year, 2155)).isEqualTo("2155");
    }

    @Test
    void acceptsColumnsThatHoldEveryValue() {
        Schema int32 = Schema.INT32_SCHEMA;
        assertThat(incompatibility("integer", int32)).isNull();
        assertThat(incompatibility("bigint", int32)).isNull();
        assertThat(incompatibility("numeric", int32)).isNull();
        assertThat(incompatibility("numeric(10,0)", int32)).isNull();
        assertThat(incompatibility("numeric(12,2)", int32)).isNull();
        assertThat(incompatibility("double precision", int32)).isNull();
        assertThat(incompatibility("smallint", Schema.INT8_SCHEMA)).isNull();
        assertThat(incompatibility("real", Schema.INT16_SCHEMA)).isNull();
        assertThat(incompatibility("numeric(19,0)", Schema.INT64_SCHEMA)).isNull();
        Schema number4 = number(SchemaBuilder.int16(), 4, 0);
        assertThat(incompatibility("numeric(4,0)", number4)).isNull();
        Schema number12 = number(SchemaBuilder.int64(), 12, 0);
        assertThat(incompatibility("numeric(12,0)", number12)).isNull();
        assertThat(incompatibility("double precision", number12)).isNull();
    }

    @Test
    void refusesColumnsThatWouldOverflowNamingBothSides() {
        assertThat(incompatibility("smallint", Schema.INT32_SCHEMA))
                .isEqualTo("column type smallint cannot hold INT32 values: integers of up to 10 digits would not fit");
        assertThat(incompatibility("numeric(9,0)", Schema.INT32_SCHEMA)).startsWith("column type numeric(9,0) cannot hold INT32");
        assertThat(incompatibility("numeric(11,2)", Schema.INT32_SCHEMA)).isNotNull();
        assertThat(incompatibility("numeric(18,0)", Schema.INT64_SCHEMA)).isNotNull();
        assertThat(incompatibility("integer", Schema.INT64_SCHEMA)).isNotNull();
        assertThat(incompatibility("double precision", Schema.INT64_SCHEMA)).isNotNull();
        assertThat(incompatibility("real", Schema.INT32_SCHEMA)).isNotNull();
        assertThat(incompatibility("numeric(3,0)", number(SchemaBuilder.int16(), 4, 0)))
                .isEqualTo("column type numeric(3,0) cannot hold NUMBER(4,0) values: integers of up to 4 digits would not fit");
        assertThat(incompatibility("integer", number(SchemaBuilder.int64(), 12, 0))).contains("NUMBER(12,0)");
        assertThat(incompatibility("text", Schema.INT32_SCHEMA))
                .isEqualTo("column type text cannot hold INT32 values: not a numeric column");
        assertThat(incompatibility("integer[]", Schema.INT32_SCHEMA)).isNotNull();
    }
}
