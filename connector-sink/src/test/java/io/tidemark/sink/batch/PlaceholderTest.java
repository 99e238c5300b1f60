package io.tidemark.sink.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Debezium's unavailable-value placeholder is recognised however the converter hands it over. */
class PlaceholderTest {

    private static final String PLACEHOLDER = "__debezium_unavailable_value";
    private static final byte[] BYTES = PLACEHOLDER.getBytes(StandardCharsets.UTF_8);
    private final UnavailableValues encoder = new UnavailableValues(PLACEHOLDER);

    @Test
    void placeholderAsTextArrayOrBuffer() {
        assertThat(encoder.isPlaceholder(PLACEHOLDER)).isTrue();
        assertThat(encoder.isPlaceholder(BYTES.clone())).as("JSON: byte[]").isTrue();
        assertThat(encoder.isPlaceholder(ByteBuffer.wrap(BYTES.clone()))).as("Avro: ByteBuffer").isTrue();

        byte[] framed = new byte[BYTES.length + 4];
        System.arraycopy(BYTES, 0, framed, 2, BYTES.length);
        ByteBuffer slice = ByteBuffer.wrap(framed, 2, BYTES.length);
        assertThat(encoder.isPlaceholder(slice)).as("a buffer over part of an array").isTrue();
        assertThat(slice.position()).as("left as it was").isEqualTo(2);
        ByteBuffer direct = ByteBuffer.allocateDirect(BYTES.length).put(BYTES).flip();
        assertThat(encoder.isPlaceholder(direct)).as("a direct buffer").isTrue();
    }

    @Test
    void otherValuesAreNot() {
        assertThat(encoder.isPlaceholder(PLACEHOLDER + " ")).isFalse();
        assertThat(encoder.isPlaceholder(ByteBuffer.wrap(BYTES, 0, BYTES.length - 1))).isFalse();
        assertThat(encoder.isPlaceholder(ByteBuffer.wrap(new byte[BYTES.length]))).isFalse();
        assertThat(encoder.isPlaceholder(42L)).isFalse();
    }
}
