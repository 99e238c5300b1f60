package io.tidemark.sink.types.debezium;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

/** io.debezium.data.Bits: little-endian bytes, bit 0 the rightmost. */
class BitsTypeTest {

    private static SchemaBuilder bits(int length) {
        return named(SchemaBuilder.bytes(), BitsType.LOGICAL_NAME).parameter("length", Integer.toString(length));
    }

    private static final Schema BIT4 = source(bits(4), "BIT", 4, null).build();
    private static final Schema BIT10 = bits(10).build();
    private static final Schema VARBIT8 = source(bits(8), "VARBIT", 8, null).build();

    @Test
    void fixedLengthBitsAreWrittenInFull() {
        assertThat(copyText(BIT4, new byte[] {0x0B})).isEqualTo("1011");
        assertThat(copyText(BIT4, new byte[] {0x03})).isEqualTo("0011");
        assertThat(copyText(BIT4, new byte[0])).isEqualTo("0000");
        assertThat(copyText(BIT10, new byte[] {0x01, 0x02})).isEqualTo("1000000001");
        assertThat(copyText(BIT10, ByteBuffer.wrap(new byte[] {(byte) 0x80}))).isEqualTo("0010000000");
        assertThat(copyText(BIT4, ByteBuffer.wrap(new byte[] {0x7F, 0x0B, 0x7F}, 1, 1))).as("a buffer over part of an array")
                .isEqualTo("1011");
        assertThatThrownBy(() -> copyText(BIT4, new byte[] {0x10})).isInstanceOf(BadValueException.class)
                .hasMessage("bit string has bit 4 set but is declared 4 bits long");
    }

    @Test
    void varyingBitsLostTheirLeadingZerosAtTheSource() {
        assertThat(copyText(VARBIT8, new byte[] {0x03})).isEqualTo("11");
        assertThat(copyText(VARBIT8, new byte[] {(byte) 0xA5})).isEqualTo("10100101");
        assertThat(copyText(VARBIT8, new byte[0])).isEmpty();
        assertThatThrownBy(() -> copyText(VARBIT8, "0101")).isInstanceOf(BadValueException.class);
    }

    @Test
    void columnTypesAndCompatibility() {
        assertThat(sqlType(BIT4)).isEqualTo("bit(4)");
        assertThat(sqlType(BIT10)).isEqualTo("bit varying(10)");
        assertThat(sqlType(VARBIT8)).isEqualTo("bit varying(8)");
        assertThat(sqlType(named(SchemaBuilder.bytes(), BitsType.LOGICAL_NAME).build())).isEqualTo("bit varying");
        assertThat(incompatibility("bit(4)", BIT4)).isNull();
        assertThat(incompatibility("bit varying(4)", BIT4)).isNull();
        assertThat(incompatibility("bit varying", BIT10)).isNull();
        assertThat(incompatibility("bit varying(9)", BIT10)).isEqualTo("column type bit varying(9) cannot hold"
                + " io.debezium.data.Bits values: bit strings of up to 10 bits would not fit exactly");
        assertThat(incompatibility("bit(5)", BIT4)).isNotNull();
        assertThat(incompatibility("bit(8)", VARBIT8)).isNotNull();
        assertThat(incompatibility("bytea", BIT4)).isEqualTo("column type bytea cannot hold BIT(4) values");
    }
}
