package io.tidemark.sink.types.connect;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

class BooleanAndBytesTypesTest {

    @Test
    void booleansAreTAndF() {
        assertThat(copyText(Schema.BOOLEAN_SCHEMA, true)).isEqualTo("t");
        assertThat(copyText(Schema.BOOLEAN_SCHEMA, false)).isEqualTo("f");
        assertThatThrownBy(() -> copyText(Schema.BOOLEAN_SCHEMA, 1)).isInstanceOf(BadValueException.class);
        assertThat(sqlType(Schema.BOOLEAN_SCHEMA)).isEqualTo("boolean");
        assertThat(incompatibility("boolean", Schema.BOOLEAN_SCHEMA)).isNull();
        assertThat(incompatibility("smallint", Schema.BOOLEAN_SCHEMA)).isEqualTo("column type smallint cannot hold BOOLEAN values");
    }

    @Test
    void bytesAreByteaHexFromArraysAndBuffers() {
        Schema blob = source(SchemaBuilder.bytes(), "BLOB", null, null).build();
        assertThat(copyText(blob, new byte[] {0, (byte) 0xFF, 0x5C})).isEqualTo("\\\\x00ff5c");
        assertThat(copyText(blob, new byte[0])).isEqualTo("\\\\x");
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4}, 1, 2);
        assertThat(copyText(blob, buffer)).isEqualTo("\\\\x0203");
        assertThatThrownBy(() -> copyText(blob, "00ff")).isInstanceOf(BadValueException.class);
        assertThat(sqlType(blob)).isEqualTo("bytea");
        assertThat(sqlType(source(SchemaBuilder.bytes(), "RAW", 16, null).build())).isEqualTo("bytea");
        assertThat(incompatibility("bytea", blob)).isNull();
        assertThat(incompatibility("text", blob)).isEqualTo("column type text cannot hold BLOB values");
    }
}
