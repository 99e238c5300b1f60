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

class StringTypeTest {

    private static Schema string(String type, Integer length) {
        return source(SchemaBuilder.string(), type, length, null).build();
    }

    @Test
    void writesTextWithCopyEscapes() {
        Schema s = Schema.STRING_SCHEMA;
        assertThat(copyText(s, "plain")).isEqualTo("plain");
        assertThat(copyText(s, "")).isEmpty();
        assertThat(copyText(s, "tab\there\nnew\rline \\ back")).isEqualTo("tab\\there\\nnew\\rline \\\\ back");
        assertThat(copyText(s, "Grüße 😀 𝄞")).isEqualTo("Grüße 😀 𝄞");
        assertThat(copyText(s, "\\N")).isEqualTo("\\\\N");
    }

    @Test
    void refusesNul() {
        assertThatThrownBy(() -> copyText(Schema.STRING_SCHEMA, "a\u0000b")).isInstanceOf(BadValueException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> copyText(Schema.STRING_SCHEMA, 5)).isInstanceOf(BadValueException.class);
    }

    @Test
    void createsVarcharCharOrTextFromTheSourceType() {
        assertThat(sqlType(string("VARCHAR2", 40))).isEqualTo("varchar(40)");
        assertThat(sqlType(string("NVARCHAR2", 20))).isEqualTo("varchar(20)");
        assertThat(sqlType(string("VARCHAR2", 32767))).isEqualTo("varchar(32767)");
        assertThat(sqlType(string("CHAR", 10))).isEqualTo("char(10)");
        assertThat(sqlType(string("NCHAR", 3))).isEqualTo("char(3)");
        assertThat(sqlType(string("CLOB", 4000))).isEqualTo("text");
        assertThat(sqlType(string("NCLOB", null))).isEqualTo("text");
        assertThat(sqlType(string("LONG", null))).isEqualTo("text");
        assertThat(sqlType(string("ROWID", null))).isEqualTo("varchar(18)");
        assertThat(sqlType(string("UROWID", 4000))).isEqualTo("text");
        assertThat(sqlType(Schema.STRING_SCHEMA)).isEqualTo("text");
        // PostgreSQL sources
        assertThat(sqlType(string("VARCHAR", 2147483647))).isEqualTo("text");
        assertThat(sqlType(string("VARCHAR", 12))).isEqualTo("varchar(12)");
        assertThat(sqlType(string("BPCHAR", 5))).isEqualTo("char(5)");
        assertThat(sqlType(string("TEXT", 2147483647))).isEqualTo("text");
        assertThat(sqlType(string("INET", null))).isEqualTo("text");
    }

    @Test
    void acceptsColumnsAtLeastAsLong() {
        Schema varchar40 = string("VARCHAR2", 40);
        assertThat(incompatibility("character varying(40)", varchar40)).isNull();
        assertThat(incompatibility("character varying(100)", varchar40)).isNull();
        assertThat(incompatibility("character varying", varchar40)).isNull();
        assertThat(incompatibility("text", varchar40)).isNull();
        assertThat(incompatibility("text", Schema.STRING_SCHEMA)).isNull();
        Schema char10 = string("CHAR", 10);
        assertThat(incompatibility("character(10)", char10)).isNull();
        assertThat(incompatibility("character(12)", char10)).isNull();
        assertThat(incompatibility("character varying(10)", char10)).as("padding is kept").isNull();
        assertThat(incompatibility("character varying(18)", string("ROWID", null))).isNull();
    }

    @Test
    void refusesColumnsThatWouldCutOrPad() {
        assertThat(incompatibility("character varying(10)", string("VARCHAR2", 40)))
                .isEqualTo("column type character varying(10) cannot hold VARCHAR2(40) values:"
                        + " values up to 40 characters long would not fit");
        // Length unknown: PostgreSQL refuses (never truncates) a value too long, so nothing is lost silently.
        assertThat(incompatibility("character varying(100)", Schema.STRING_SCHEMA)).isNull();
        assertThat(incompatibility("character(40)", string("VARCHAR2", 40)))
                .endsWith("char(n) pads values with spaces and drops trailing ones");
        assertThat(incompatibility("character(5)", string("CHAR", 10))).contains("CHAR(10)");
        assertThat(incompatibility("xml", Schema.STRING_SCHEMA)).isEqualTo("column type xml cannot hold STRING values:"
                + " only fields Debezium marks as xml are known to be valid xml");
        assertThat(incompatibility("jsonb", string("CLOB", null))).startsWith("column type jsonb cannot hold CLOB values");
        assertThat(incompatibility("integer", Schema.STRING_SCHEMA)).isEqualTo("column type integer cannot hold STRING values");
        assertThat(incompatibility("text[]", Schema.STRING_SCHEMA)).isNotNull();
    }
}
