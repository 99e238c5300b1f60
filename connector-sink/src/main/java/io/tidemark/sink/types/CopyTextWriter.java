package io.tidemark.sink.types;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * A growable byte buffer that writes rows in PostgreSQL's {@code COPY ... (FORMAT text)} form:
 * UTF-8, columns separated by tabs, rows ended by newlines, {@code \N} for null, and backslash,
 * newline, carriage return and tab escaped inside values.
 *
 * <p>Written for the hot path: no intermediate strings for text, numbers or bytes. A row that
 * fails half-way is dropped with {@link #mark()} and {@link #rewind(int)}.
 */
public final class CopyTextWriter extends CopyBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final byte[] NOTHING = new byte[0];

    public CopyTextWriter(int initialCapacity) {
        super(initialCapacity);
    }

    public CopyTextWriter() {
        this(64 * 1024);
    }

    @Override
    public byte[] copyHeader() {
        return NOTHING;
    }

    @Override
    public byte[] copyTrailer() {
        return NOTHING;
    }

    public CopyTextWriter columnSeparator() {
        return appendByte('\t');
    }

    public CopyTextWriter endRow() {
        return appendByte('\n');
    }

    public CopyTextWriter appendNull() {
        ensure(2);
        buf[len++] = '\\';
        buf[len++] = 'N';
        return this;
    }

    public CopyTextWriter appendByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    /** Appends characters known to be ASCII and free of COPY specials (numbers, dates, keywords). */
    public CopyTextWriter appendAscii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    public CopyTextWriter appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            return appendAscii("-9223372036854775808");
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        len = end;
        return this;
    }

    /** Appends {@code v} with exactly {@code width} digits, zero-padded (for dates and times). */
    public CopyTextWriter appendPadded(long v, int width) {
        ensure(width);
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        len += width;
        return this;
    }

    /** The bytes {@link #appendLong} writes for {@code v}. */
    public static int longLength(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        return v < 0 ? 1 + digits(-v) : digits(v);
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    /**
     * Appends text, UTF-8 encoded, with COPY's escapes.
     *
     * @throws BadValueException on a NUL character or an unpaired surrogate, which PostgreSQL text
     *                           cannot hold
     */
    public CopyTextWriter appendText(CharSequence s) {
        appendChars(s, false);
        return this;
    }

    /**
     * Appends one text element of an array literal: double-quoted, with the array's own escapes
     * ({@code \"} and {@code \\}) and COPY's escapes on top.
     *
     * @throws BadValueException as {@link #appendText(CharSequence)} does
     */
    public CopyTextWriter appendArrayElementText(CharSequence s) {
        appendByte('"');
        appendChars(s, true);
        return appendByte('"');
    }

    private void appendChars(CharSequence s, boolean inArrayQuotes) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            // Most text is plain ASCII: copy a run of it without the escape switch, then one other character.
            ensure(n - i);
            byte[] b = buf;
            int l = len;
            char c;
            while (i < n && (c = s.charAt(i)) < 0x80 && c >= 0x20 && c != '\\' && c != '"') {
                b[l++] = (byte) c;
                i++;
            }
            len = l;
            if (i < n) {
                i = appendSpecial(s, i, inArrayQuotes);
            }
        }
    }

    /** Appends the character at {@code i} (a pair for a surrogate) with its escapes; returns the next index. */
    private int appendSpecial(CharSequence s, int i, boolean inArrayQuotes) {
        char c = s.charAt(i);
        if (c < 0x80) {
            ensure(4);
            switch (c) {
                case '\\' -> {
                    buf[len++] = '\\';
                    buf[len++] = '\\';
                    if (inArrayQuotes) {
                        buf[len++] = '\\';
                        buf[len++] = '\\';
                    }
                }
                case '"' -> {
                    if (inArrayQuotes) {
                        buf[len++] = '\\';
                        buf[len++] = '\\';
                    }
                    buf[len++] = '"';
                }
                case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                case '\t' -> { buf[len++] = '\\'; buf[len++] = 't'; }
                case 0 -> throw nulCharacter(i);
                default -> buf[len++] = (byte) c;
            }
            return i + 1;
        }
        return appendUtf8(s, i);
    }

    /**
     * Appends a float as Java's shortest round-trip text ({@code 1.1}, {@code 1.0E10}, {@code -0.0},
     * {@code NaN}, {@code Infinity}, {@code -Infinity}): PostgreSQL reads every one back to the same
     * {@code real}.
     */
    public CopyTextWriter appendFloat(float v) {
        return appendAscii(Float.toString(v));
    }

    /** Appends a double as Java's round-trip text; PostgreSQL reads it back to the same {@code double precision}. */
    public CopyTextWriter appendDouble(double v) {
        return appendAscii(Double.toString(v));
    }

    /** Appends {@code t} or {@code f}, as PostgreSQL spells booleans. */
    public CopyTextWriter appendBoolean(boolean v) {
        return appendByte(v ? 't' : 'f');
    }

    /**
     * Appends the exact decimal {@code unscaled × 10^-scale} in plain notation (no exponent), e.g.
     * (-5, 3) as {@code -0.005} and (12, -2) as {@code 1200}.
     */
    public CopyTextWriter appendDecimal(long unscaled, int scale) {
        if (unscaled == Long.MIN_VALUE) {
            return appendAscii(BigDecimal.valueOf(unscaled, scale).toPlainString());
        }
        if (scale <= 0) {
            appendLong(unscaled);
            if (unscaled != 0) {
                ensure(-scale);
                for (int i = 0; i < -scale; i++) {
                    buf[len++] = '0';
                }
            }
            return this;
        }
        if (unscaled < 0) {
            appendByte('-');
            unscaled = -unscaled;
        }
        int digits = digits(unscaled);
        int intDigits = Math.max(1, digits - scale);
        int total = intDigits + 1 + scale;
        ensure(total);
        int end = len + total;
        int point = len + intDigits;
        for (int i = end - 1; i >= len; i--) {
            if (i == point) {
                buf[i] = '.';
            } else {
                buf[i] = (byte) ('0' + (unscaled % 10));
                unscaled /= 10;
            }
        }
        len = end;
        return this;
    }

    /** Appends a decimal in plain notation, never with an exponent and never losing a digit. */
    public CopyTextWriter appendDecimal(BigDecimal v) {
        if (v.precision() <= 18) {
            return appendDecimal(v.unscaledValue().longValue(), v.scale());
        }
        return appendAscii(v.toPlainString());
    }

    /** The bytes {@link #appendDecimal(long, int)} writes. */
    public static int decimalLength(long unscaled, int scale) {
        if (unscaled == Long.MIN_VALUE) {
            return plainDecimalLength(true, 19, false, scale);
        }
        return plainDecimalLength(unscaled < 0, digits(Math.abs(unscaled)), unscaled == 0, scale);
    }

    /** The bytes {@link #appendDecimal(BigDecimal)} writes. */
    public static int decimalLength(BigDecimal v) {
        if (v.precision() <= 18) {
            return decimalLength(v.unscaledValue().longValue(), v.scale());
        }
        return plainDecimalLength(v.signum() < 0, v.precision(), false, v.scale());
    }

    /** Plain notation of {@code digits} digits at {@code scale}: sign, integer part ("0" at least), point, fraction. */
    private static int plainDecimalLength(boolean negative, int digits, boolean zero, int scale) {
        int sign = negative ? 1 : 0;
        if (scale <= 0) {
            return sign + digits + (zero ? 0 : -scale);
        }
        return sign + Math.max(1, digits - scale) + 1 + scale;
    }

    /** The bytes {@link #appendByteaHex} writes for {@code n} bytes: {@code \\x} and two digits a byte. */
    public static int byteaHexLength(int n) {
        return 3 + 2 * n;
    }

    /** Appends bytes as a {@code bytea} hex literal ({@code \x0a1b}, its backslash escaped for COPY). */
    public CopyTextWriter appendByteaHex(byte[] bytes) {
        return appendByteaHex(bytes, 0, bytes.length);
    }

    public CopyTextWriter appendByteaHex(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        if (b.hasArray()) {
            return appendByteaHex(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return appendByteaHex(copy);
    }

    private CopyTextWriter appendByteaHex(byte[] bytes, int offset, int length) {
        ensure(3 + 2 * length);
        buf[len++] = '\\';
        buf[len++] = '\\';
        buf[len++] = 'x';
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xFF;
            buf[len++] = HEX[b >>> 4];
            buf[len++] = HEX[b & 0x0F];
        }
        return this;
    }
}
