package io.tidemark.sink.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class CopyTextWriterTest {

    private static String text(CharSequence s) {
        return new CopyTextWriter(1).appendText(s).toString();
    }

    @Test
    void escapesCopySpecialsAndNothingElse() {
        assertThat(text("a\tb\nc\rd\\e")).isEqualTo("a\\tb\\nc\\rd\\\\e");
        assertThat(text("\\N")).isEqualTo("\\\\N"); // a literal backslash-N is not a null
        assertThat(text("")).isEmpty();
        assertThat(text("'quotes' \"double\" ,;|")).isEqualTo("'quotes' \"double\" ,;|");
    }

    @Test
    void encodesUtf8AcrossAllWidths() {
        String s = "é€😀ñ"; // 2, 3, 4 (surrogate pair), 2 bytes
        CopyTextWriter out = new CopyTextWriter(1).appendText(s);
        assertThat(Arrays.copyOf(out.array(), out.length())).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
        assertThat(out.length()).isEqualTo(2 + 3 + 4 + 2);
    }

    @Test
    void refusesNulAndUnpairedSurrogates() {
        assertThatThrownBy(() -> text("ab\u0000c")).isInstanceOf(BadValueException.class)
                .hasMessageContaining("NUL").hasMessageContaining("position 2");
        assertThatThrownBy(() -> text("x\uD83D")).isInstanceOf(BadValueException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> text("\uDE00x")).isInstanceOf(BadValueException.class).hasMessageContaining("position 0");
    }

    @Test
    void writesByteaHexFromArraysAndBuffers() {
        byte[] bytes = {0, 1, (byte) 0xAB, (byte) 0xFF, 0x7F};
        assertThat(new CopyTextWriter().appendByteaHex(bytes).toString()).isEqualTo("\\\\x0001abff7f");
        assertThat(new CopyTextWriter().appendByteaHex(new byte[0]).toString()).isEqualTo("\\\\x");
        ByteBuffer slice = ByteBuffer.wrap(new byte[] {9, 9, 0x10, 0x20, 9}, 2, 2).slice();
        assertThat(new CopyTextWriter().appendByteaHex(slice).toString()).isEqualTo("\\\\x1020");
        assertThat(slice.remaining()).as("the buffer's position is untouched").isEqualTo(2);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {1, 2, 3});
        direct.flip();
        assertThat(new CopyTextWriter().appendByteaHex(direct).toString()).isEqualTo("\\\\x010203");
    }

    @Test
    void writesLongsAndPaddedNumbers() {
        CopyTextWriter out = new CopyTextWriter(1);
        out.appendLong(0).appendByte(' ').appendLong(-7).appendByte(' ').appendLong(Long.MAX_VALUE).appendByte(' ')
                .appendLong(Long.MIN_VALUE).appendByte(' ').appendPadded(42, 4).appendByte(' ').appendPadded(0, 2);
        assertThat(out.toString()).isEqualTo("0 -7 9223372036854775807 -9223372036854775808 0042 00");
    }

    @Test
    void writesDecimalsInPlainNotation() {
        assertThat(decimal(0, 0)).isEqualTo("0");
        assertThat(decimal(0, 3)).isEqualTo("0.000");
        assertThat(decimal(12345, 2)).isEqualTo("123.45");
        assertThat(decimal(-5, 3)).isEqualTo("-0.005");
        assertThat(decimal(-12345, 5)).isEqualTo("-0.12345");
        assertThat(decimal(12, -3)).isEqualTo("12000");
        assertThat(decimal(0, -3)).isEqualTo("0");
        assertThat(decimal(Long.MAX_VALUE, 18)).isEqualTo("9.223372036854775807");
        assertThat(decimal(Long.MIN_VALUE, 19)).isEqualTo("-0.9223372036854775808");
        assertThat(new CopyTextWriter().appendDecimal(new BigDecimal("-123456789012345678901234567890.000000001")).toString())
                .isEqualTo("-123456789012345678901234567890.000000001");
        assertThat(new CopyTextWriter().appendDecimal(new BigDecimal("1E+125")).toString())
                .isEqualTo("1" + "0".repeat(125));
        assertThat(new CopyTextWriter().appendDecimal(new BigDecimal("1E-130")).toString())
                .isEqualTo("0." + "0".repeat(129) + "1");
    }

    private static String decimal(long unscaled, int scale) {
        String fast = new CopyTextWriter(1).appendDecimal(unscaled, scale).toString();
        assertThat(fast).as("same as BigDecimal.toPlainString").isEqualTo(
                unscaled == 0 && scale < 0 ? "0" : BigDecimal.valueOf(unscaled, scale).toPlainString());
        return fast;
    }

    @Test
    void writesFloatsBooleansAndArrayElements() {
        CopyTextWriter out = new CopyTextWriter(1);
        out.appendFloat(1.1f).appendByte(' ').appendDouble(-0.0).appendByte(' ').appendDouble(Double.NaN).appendByte(' ')
                .appendBoolean(true).appendBoolean(false).appendByte(' ').appendArrayElementText("a\"b\\c\td");
        assertThat(out.toString()).isEqualTo("1.1 -0.0 NaN tf \"a\\\\\"b\\\\\\\\c\\td\"");
    }

    @Test
    void rewindsAHalfWrittenRow() {
        CopyTextWriter out = new CopyTextWriter(1);
        out.appendText("ok").endRow();
        int mark = out.mark();
        out.appendText("half").columnSeparator();
        assertThatThrownBy(() -> out.appendText("bad\u0000")).isInstanceOf(BadValueException.class);
        out.rewind(mark);
        out.appendNull().endRow();
        assertThat(out.toString()).isEqualTo("ok\n\\N\n");
        out.reset();
        assertThat(out.length()).isZero();
    }

    @Test
    void textOfManyRunsMatchesAPlainEscapeAndEncode() {
        // Runs of plain ASCII between every kind of character the fast path hands on: escapes,
        // quotes, control characters, 2-, 3- and 4-byte UTF-8, at the start, middle and end.
        String[] pieces = {"plain words ", "\t", "\\", "\"", "\n", "\r", "\u0001", "\u001f", "é", "€", "😀", "~", " "};
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String s = sb.toString();
            String escaped = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
            CopyTextWriter out = new CopyTextWriter(1).appendText(s);
            assertThat(Arrays.copyOf(out.array(), out.length())).as(s).isEqualTo(escaped.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void growsPastItsInitialCapacity() {
        String big = "x".repeat(100_000) + "\t";
        CopyTextWriter out = new CopyTextWriter(1).appendText(big);
        assertThat(out.length()).isEqualTo(100_002);
    }
}
