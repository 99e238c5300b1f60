package io.tidemark.sink.types;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SourceColumnTest {

    @Test
    void readsDebeziumsParameters() {
        SourceColumn c = SourceColumn.of(TypeTesting.source(SchemaBuilder.string(), "varchar2", 40, null).build());
        assertThat(c).isEqualTo(new SourceColumn("VARCHAR2", 40, null));
        assertThat(c.toString()).isEqualTo("VARCHAR2(40)");
        assertThat(SourceColumn.of(SchemaBuilder.string().build())).isSameAs(SourceColumn.UNKNOWN);
        assertThat(SourceColumn.of(SchemaBuilder.string().parameter("other", "x").build()).known()).isFalse();
        assertThat(new SourceColumn("NUMBER", 10, 2).toString()).isEqualTo("NUMBER(10,2)");
    }

    @Test
    void findsTheFractionalPrecisionWhereverDebeziumPutIt() {
        // Oracle snapshot: JDBC names the type TIMESTAMP(6); OracleConnection.overrideColumn moves the scale to length
        assertThat(new SourceColumn("TIMESTAMP(6)", 6, null).fractionalSecondsPrecision()).isEqualTo(6);
        assertThat(new SourceColumn("TIMESTAMP(9)", 9, null).toString()).isEqualTo("TIMESTAMP(9)");
        // Oracle streaming (DDL parser): TIMESTAMP with length n
        assertThat(new SourceColumn("TIMESTAMP", 3, null).fractionalSecondsPrecision()).isEqualTo(3);
        assertThat(new SourceColumn("TIMESTAMP", 3, null).toString()).isEqualTo("TIMESTAMP(3)");
        // Oracle WITH TIME ZONE snapshot: length is the column size (13), scale the precision
        SourceColumn tz = new SourceColumn("TIMESTAMP(6) WITH TIME ZONE", 13, 6);
        assertThat(tz.fractionalSecondsPrecision()).isEqualTo(6);
        assertThat(tz.toString()).isEqualTo("TIMESTAMP(6) WITH TIME ZONE");
        SourceColumn tzStreaming = new SourceColumn("TIMESTAMP WITH LOCAL TIME ZONE", 2, null);
        assertThat(tzStreaming.fractionalSecondsPrecision()).isEqualTo(2);
        assertThat(tzStreaming.toString()).isEqualTo("TIMESTAMP(2) WITH LOCAL TIME ZONE");
        // PostgreSQL: scale is the precision, length the display size
        assertThat(new SourceColumn("TIMESTAMP", 29, 3).fractionalSecondsPrecision()).isEqualTo(3);
        assertThat(new SourceColumn("TIMESTAMP", 29, 3).toString()).isEqualTo("TIMESTAMP(3)");
        assertThat(new SourceColumn("TIMESTAMP", 29, null).fractionalSecondsPrecision()).isNull();
        assertThat(new SourceColumn("DATE", null, null).fractionalSecondsPrecision()).isNull();
        assertThat(new SourceColumn("DATE", 7, null).toString()).isEqualTo("DATE");
        assertThat(new SourceColumn("INTERVAL DAY(2) TO SECOND(6)", 2, 6).fractionalSecondsPrecision()).isEqualTo(6);
        assertThat(SourceColumn.UNKNOWN.fractionalSecondsPrecision()).isNull();
    }

    @Test
    void matchesTypeNamesByWholeWords() {
        SourceColumn c = new SourceColumn("TIMESTAMP(6) WITH TIME ZONE", null, null);
        assertThat(c.is("TIMESTAMP")).isTrue();
        assertThat(c.is("TIME")).isFalse();
        assertThat(new SourceColumn("VARCHAR2", 1, null).is("VARCHAR")).isFalse();
        assertThat(SourceColumn.UNKNOWN.is("DATE")).isFalse();
    }
}
