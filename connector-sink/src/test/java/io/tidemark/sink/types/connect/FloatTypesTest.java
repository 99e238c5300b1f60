package io.tidemark.sink.types.connect;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

class FloatTypesTest {

    @Test
    void writesFloatsInShortestRoundTripForm() {
        Schema f = Schema.FLOAT32_SCHEMA;
        assertThat(copyText(f, 1.1f)).isEqualTo("1.1");
        assertThat(copyText(f, -0.0f)).isEqualTo("-0.0");
        assertThat(copyText(f, 1e10f)).isEqualTo("1.0E10");
        assertThat(copyText(f, Float.MIN_VALUE)).isEqualTo("1.4E-45");
        assertThat(copyText(f, Float.MAX_VALUE)).isEqualTo("3.4028235E38");
        assertThat(copyText(f, Float.NaN)).isEqualTo("NaN");
        assertThat(copyText(f, Float.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(copyText(f, Float.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }

    @Test
    void writesDoublesInRoundTripForm() {
        Schema d = Schema.FLOAT64_SCHEMA;
        assertThat(copyText(d, 0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(copyText(d, Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(copyText(d, -Double.MAX_VALUE)).isEqualTo("-1.7976931348623157E308");
        assertThat(copyText(d, 1e-7)).isEqualTo("1.0E-7");
        assertThat(copyText(d, Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(copyText(d, 2.5f)).as("a Float where a double belongs keeps its own shortest form").isEqualTo("2.5");
        assertThatThrownBy(() -> copyText(d, "1.0")).isInstanceOf(BadValueException.class);
    }

    @Test
    void createsRealAndDoublePrecision() {
        assertThat(sqlType(Schema.FLOAT32_SCHEMA)).isEqualTo("real");
        assertThat(sqlType(Schema.FLOAT64_SCHEMA)).isEqualTo("double precision");
    }

    @Test
    void acceptsWiderFloatsAndUnboundedNumeric() {
        assertThat(incompatibility("real", Schema.FLOAT32_SCHEMA)).isNull();
        assertThat(incompatibility("double precision", Schema.FLOAT32_SCHEMA)).isNull();
        assertThat(incompatibility("numeric", Schema.FLOAT32_SCHEMA)).isNull();
        assertThat(incompatibility("double precision", Schema.FLOAT64_SCHEMA)).isNull();
        assertThat(incompatibility("numeric", Schema.FLOAT64_SCHEMA)).isNull();
    }

    @Test
    void refusesNarrowerColumns() {
        assertThat(incompatibility("real", Schema.FLOAT64_SCHEMA)).isEqualTo("column type real cannot hold FLOAT64 values:"
                + " a real keeps about 7 of a double's 15-17 significant digits");
        assertThat(incompatibility("numeric(10,2)", Schema.FLOAT32_SCHEMA)).contains("bounded numeric");
        assertThat(incompatibility("integer", Schema.FLOAT64_SCHEMA)).isEqualTo("column type integer cannot hold FLOAT64 values");
    }
}
