package io.tidemark.sink.types.connect;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.ColumnTypes;

/** Arrays of Connect primitives, as Debezium's PostgreSQL connector sends int4[], text[] and the like. */
class ConnectArrayTypeTest {

    private static final Schema INTS = SchemaBuilder.array(SchemaBuilder.int32().optional().build()).build();
    private static final Schema TEXTS = SchemaBuilder.array(SchemaBuilder.string().optional().build()).build();

    @Test
    void writesArrayLiterals() {
        assertThat(copyText(INTS, Arrays.asList(1, null, -3))).isEqualTo("{1,NULL,-3}");
        assertThat(copyText(INTS, List.of())).isEqualTo("{}");
        Schema doubles = SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build();
        assertThat(copyText(doubles, List.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY))).isEqualTo("{1.5,NaN,-Infinity}");
        Schema bools = SchemaBuilder.array(Schema.BOOLEAN_SCHEMA).build();
        assertThat(copyText(bools, List.of(true, false))).isEqualTo("{t,f}");
    }

    @Test
    void quotesEveryStringElementWithArrayAndCopyEscapes() {
        assertThat(copyText(TEXTS, Arrays.asList("a", "b c", null, "NULL", "", "x\"y", "back\\slash", "tab\there", "{,}")))
                .isEqualTo("{\"a\",\"b c\",NULL,\"NULL\",\"\",\"x\\\\\"y\",\"back\\\\\\\\slash\",\"tab\\there\",\"{,}\"}");
        assertThatThrownBy(() -> copyText(TEXTS, List.of("nul\u0000"))).isInstanceOf(BadValueException.class);
        assertThatThrownBy(() -> copyText(TEXTS, "not a list")).isInstanceOf(BadValueException.class);
    }

    @Test
    void columnTypesAndCompatibility() {
        assertThat(sqlType(INTS)).isEqualTo("integer[]");
        assertThat(sqlType(TEXTS)).isEqualTo("text[]");
        assertThat(sqlType(SchemaBuilder.array(Schema.INT8_SCHEMA).build())).isEqualTo("smallint[]");
        assertThat(sqlType(SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build())).isEqualTo("double precision[]");
        assertThat(incompatibility("integer[]", INTS)).isNull();
        assertThat(incompatibility("bigint[]", INTS)).isNull();
        assertThat(incompatibility("text[]", TEXTS)).isNull();
        assertThat(incompatibility("smallint[]", INTS)).isEqualTo("column type smallint[] cannot hold ARRAY<INT32> values:"
                + " its elements: column type smallint cannot hold INT32 values: integers of up to 10 digits would not fit");
        assertThat(incompatibility("integer", INTS)).isEqualTo("column type integer cannot hold ARRAY<INT32> values:"
                + " not an array column");
    }

    @Test
    void arraysOfAnythingElseAreUnsupported() {
        Schema structs = SchemaBuilder.array(SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build()).build();
        assertThatThrownBy(() -> ColumnTypes.standard().resolve(structs))
                .isInstanceOf(ColumnTypes.UnsupportedTypeException.class)
                .hasMessage("no PostgreSQL mapping for a field of Connect type ARRAY<STRUCT>: only arrays of integers,"
                        + " floats, booleans and strings are supported");
        Schema decimals = SchemaBuilder.array(Decimal.schema(2)).build();
        assertThatThrownBy(() -> ColumnTypes.standard().resolve(decimals))
                .hasMessageContaining("ARRAY<org.apache.kafka.connect.data.Decimal>");
    }
}
