package io.tidemark.sink.types.debezium;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

/** io.debezium.data.Xml, Json, Uuid, Enum and EnumSet: strings with a meaning. */
class SemanticStringTypesTest {

    private static final Schema XML = named(SchemaBuilder.string(), XmlType.LOGICAL_NAME).build();
    private static final Schema JSON = named(SchemaBuilder.string(), JsonType.LOGICAL_NAME).build();
    private static final Schema UUID = named(SchemaBuilder.string(), UuidType.LOGICAL_NAME).build();
    private static final Schema ENUM = named(SchemaBuilder.string(), EnumType.LOGICAL_NAME).parameter("allowed", "a,bb,ccccc").build();
    private static final Schema SET = named(SchemaBuilder.string(), EnumSetType.LOGICAL_NAME).parameter("allowed", "a,bb,ccccc").build();

    @Test
    void xmlIsTextWithCopyEscapes() {
        assertThat(copyText(XML, "<a x=\"1\">\n\t<b>ü</b>\n</a>")).isEqualTo("<a x=\"1\">\\n\\t<b>ü</b>\\n</a>");
        assertThat(sqlType(XML)).isEqualTo("xml");
        assertThat(sqlType(source(named(SchemaBuilder.string(), XmlType.LOGICAL_NAME), "XMLTYPE", null, null).build()))
                .isEqualTo("xml");
        assertThat(incompatibility("xml", XML)).isNull();
        assertThat(incompatibility("text", XML)).isNull();
        assertThat(incompatibility("jsonb", XML)).isEqualTo("column type jsonb cannot hold io.debezium.data.Xml values");
    }

    @Test
    void jsonIsJsonbUnlessTheSourceKeptItsText() {
        assertThat(copyText(JSON, "{\"a\": \"tab\\there\"}")).isEqualTo("{\"a\": \"tab\\\\there\"}");
        assertThat(sqlType(JSON)).isEqualTo("jsonb");
        Schema pgJson = source(named(SchemaBuilder.string(), JsonType.LOGICAL_NAME), "JSON", null, null).build();
        assertThat(sqlType(pgJson)).isEqualTo("json");
        assertThat(sqlType(source(named(SchemaBuilder.string(), JsonType.LOGICAL_NAME), "JSONB", null, null).build()))
                .isEqualTo("jsonb");
        assertThat(incompatibility("jsonb", JSON)).isNull();
        assertThat(incompatibility("json", JSON)).isNull();
        assertThat(incompatibility("text", JSON)).isNull();
        assertThat(incompatibility("character varying(100)", JSON)).isNotNull();
        assertThat(incompatibility("xml", JSON)).isNotNull();
    }

    @Test
    void jsonbCannotHoldTheNulEscape() {
        assertThatThrownBy(() -> copyText(JSON, "{\"a\":\"x\\u0000y\"}")).isInstanceOf(BadValueException.class)
                .hasMessage("JSON value contains the escape \\u0000 at position 7, which PostgreSQL's jsonb cannot store");
        assertThat(copyText(JSON, "{\"a\":\"x\\\\u0000y\"}")).as("an escaped backslash, then u0000: fine")
                .isEqualTo("{\"a\":\"x\\\\\\\\u0000y\"}");
        assertThatThrownBy(() -> copyText(JSON, "[\"\\\\\\u0000\"]")).isInstanceOf(BadValueException.class);
        Schema pgJson = source(named(SchemaBuilder.string(), JsonType.LOGICAL_NAME), "JSON", null, null).build();
        assertThat(copyText(pgJson, "{\"a\":\"\\u0000\"}")).as("json keeps it").isEqualTo("{\"a\":\"\\\\u0000\"}");
    }

    @Test
    void uuidsAreCanonical() {
        assertThat(copyText(UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(copyText(UUID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")).isEqualTo("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");
        assertThatThrownBy(() -> copyText(UUID, "a0eebc999c0b4ef8bb6d6bb9bd380a11")).isInstanceOf(BadValueException.class)
                .hasMessageContaining("'a0eebc999c0b4ef8bb6d6bb9bd380a11'");
        assertThatThrownBy(() -> copyText(UUID, "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")).isInstanceOf(BadValueException.class);
        assertThat(sqlType(UUID)).isEqualTo("uuid");
        assertThat(incompatibility("uuid", UUID)).isNull();
        assertThat(incompatibility("character varying(36)", UUID)).isNull();
        assertThat(incompatibility("character varying(35)", UUID)).isNotNull();
        assertThat(incompatibility("bytea", UUID)).isNotNull();
    }

    @Test
    void enumsAndSetsAreText() {
        assertThat(copyText(ENUM, "bb")).isEqualTo("bb");
        assertThat(copyText(SET, "a,ccccc")).isEqualTo("a,ccccc");
        assertThat(sqlType(ENUM)).isEqualTo("text");
        assertThat(sqlType(SET)).isEqualTo("text");
        assertThat(incompatibility("text", ENUM)).isNull();
        assertThat(incompatibility("character varying(5)", ENUM)).isNull();
        assertThat(incompatibility("character varying(4)", ENUM)).isEqualTo("column type character varying(4) cannot hold"
                + " io.debezium.data.Enum values: the longest allowed value would not fit");
        assertThat(incompatibility("character varying(10)", SET)).isNull();
        assertThat(incompatibility("character varying(9)", SET)).isNotNull();
        assertThat(incompatibility("mood", ENUM)).as("a user enum type cannot be checked here")
                .isEqualTo("column type mood cannot hold io.debezium.data.Enum values");
    }
}
