package io.tidemark.sink.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PgColumnTypeTest {

    @Test
    void parsesWhatFormatTypePrints() {
        assertThat(PgColumnType.parse("character varying(20)")).extracting("base", "modifiers", "array")
                .containsExactly("varchar", List.of(20), false);
        assertThat(PgColumnType.parse("numeric(10,2)")).extracting("base", "modifiers").containsExactly("numeric", List.of(10, 2));
        assertThat(PgColumnType.parse("timestamp(3) without time zone").base()).isEqualTo("timestamp");
        assertThat(PgColumnType.parse("timestamp(3) with time zone")).extracting("base", "modifiers")
                .containsExactly("timestamptz", List.of(3));
        assertThat(PgColumnType.parse("time with time zone").base()).isEqualTo("timetz");
        assertThat(PgColumnType.parse("integer[]")).extracting("base", "array").containsExactly("integer", true);
        assertThat(PgColumnType.parse("character(5)[]").isOneOf("char")).as("an array is not its element").isFalse();
        assertThat(PgColumnType.parse("bit varying(8)").base()).isEqualTo("varbit");
        assertThat(PgColumnType.parse("public.mood").base()).isEqualTo("mood");
        assertThat(PgColumnType.parse("\"char\"").base()).as("the internal one-byte type is not character(1)")
                .isEqualTo("\"char\"");
    }

    @Test
    void tellsIntervalFieldRestrictions() {
        assertThat(PgColumnType.parse("interval").intervalFields()).isEmpty();
        assertThat(PgColumnType.parse("interval(3)").intervalFields()).isEmpty();
        assertThat(PgColumnType.parse("interval(3)").length()).isEqualTo(3);
        assertThat(PgColumnType.parse("interval year to month").intervalFields()).isEqualTo("year to month");
        assertThat(PgColumnType.parse("interval day to second(3)").intervalFields()).isEqualTo("day to second");
        assertThat(PgColumnType.parse("interval day to second(3)").length()).isEqualTo(3);
        assertThat(PgColumnType.parse("text").intervalFields()).isNull();
    }
}
