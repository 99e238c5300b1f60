package io.tidemark.sink.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** A flagged record reads the same in the error table whichever converter delivered it. */
class RecordRendererTest {

    private static final Schema ROW = SchemaBuilder.struct().name("x.Row")
            .field("RW", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("D", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("N", org.apache.kafka.connect.data.Decimal.builder(2).optional().build())
            .build();

    @Test
    void bytesAreBase64AsArrayOrBufferAndNonFiniteFloatsAreStrings() {
        String fromJson = RecordRenderer.json(new Struct(ROW).put("RW", new byte[] {1, 2, (byte) 0xFF})
                .put("D", Double.NaN).put("N", new BigDecimal("1.50")));
        ByteBuffer slice = ByteBuffer.wrap(new byte[] {9, 1, 2, (byte) 0xFF, 9}, 1, 3);
        String fromAvro = RecordRenderer.json(new Struct(ROW).put("RW", slice).put("D", Double.NaN)
                .put("N", new BigDecimal("1.50")));
        assertThat(fromJson).isEqualTo("{\"RW\":\"AQL/\",\"D\":\"NaN\",\"N\":1.50}");
        assertThat(fromAvro).isEqualTo(fromJson);
        assertThat(slice.position()).isEqualTo(1);
    }
}
