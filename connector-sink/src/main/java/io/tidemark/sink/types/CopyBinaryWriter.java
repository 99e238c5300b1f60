package io.tidemark.sink.types;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * A growable byte buffer that writes rows in PostgreSQL's {@code COPY ... (FORMAT binary)} form:
 * per row a 16-bit field count, per field a 32-bit length (-1 for null) and the value in the type's
 * own binary form ({@code typsend}/{@code typreceive}), big-endian. No escaping, no digits: numbers
 * and timestamps go as PostgreSQL holds them. The header and trailer are sent around the rows by the
 * {@code COPY} ({@link #copyHeader()}, {@link #copyTrailer()}), so any range of rows can be sent again.
 */
public final class CopyBinaryWriter extends CopyBuffer {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, // flags: no OIDs
        0, 0, 0, 0}; // no header extension
    private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};

    /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
    public static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    /** Days from 1970-01-01 to 2000-01-01. */
    public static final int PG_EPOCH_DAYS = 10_957;

    private static final int NUMERIC_POS = 0x0000;
    private static final int NUMERIC_NEG = 0x4000;

    private byte[] digits = new byte[40];
    private short[] groups = new short[12];

    public CopyBinaryWriter(int initialCapacity) {
        super(initialCapacity);
    }

    public CopyBinaryWriter() {
        this(64 * 1024);
    }

    @Override
    public byte[] copyHeader() {
        return HEADER.clone();
    }

    @Override
    public byte[] copyTrailer() {
        return TRAILER.clone();
    }

    public CopyBinaryWriter startRow(int fields) {
        ensure(2);
        putShort(fields);
        return this;
    }

    public CopyBinaryWriter appendNull() {
        return appendRawInt(-1);
    }

    public CopyBinaryWriter appendInt2(short v) {
        ensure(6);
        putInt(2);
        putShort(v);
        return this;
    }

    public CopyBinaryWriter appendInt4(int v) {
        ensure(8);
        putInt(4);
        putInt(v);
        return this;
    }

    public CopyBinaryWriter appendInt8(long v) {
        ensure(12);
        putInt(8);
        putInt((int) (v >>> 32));
        putInt((int) v);
        return this;
    }

    /** A {@code real}: its IEEE bits, NaN as the one canonical NaN PostgreSQL's own input gives. */
    public CopyBinaryWriter appendFloat4(float v) {
        return appendInt4(Float.floatToIntBits(v));
    }

    public CopyBinaryWriter appendFloat8(double v) {
        return appendInt8(Double.doubleToLongBits(v));
    }

    public CopyBinaryWriter appendBoolean(boolean v) {
        ensure(5);
        putInt(1);
        buf[len++] = (byte) (v ? 1 : 0);
        return this;
    }

    /** A {@code date} from days since 1970-01-01, or a raw day count (PostgreSQL's infinities). */
    public CopyBinaryWriter appendDateDays(int pgDays) {
        return appendInt4(pgDays);
    }

    public CopyBinaryWriter appendBytes(byte[] bytes) {
        return appendBytes(bytes, 0, bytes.length);
    }

    public CopyBinaryWriter appendBytes(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (bytes.hasArray()) {
            return appendBytes(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
        }
        ensure(4 + n);
        putInt(n);
        bytes.duplicate().get(buf, len, n);
        len += n;
        return this;
    }

    public CopyBinaryWriter appendBytes(byte[] bytes, int offset, int n) {
        ensure(4 + n);
        putInt(n);
        System.arraycopy(bytes, offset, buf, len, n);
        len += n;
        return this;
    }

    /**
     * Appends text as UTF-8 and returns the bytes its {@code COPY} text form has
     * ({@link CopyTextWriter#appendText}): the UTF-8 plus one for each backslash, newline, carriage
     * return and tab, which that form escapes.
     *
     * @throws BadValueException on a NUL character or an unpaired surrogate, as the text format does
     */
    public int appendText(CharSequence s) {
        int n = s.length();
        ensure(4 + n);
        int lengthAt = len;
        len += 4;
        int escaped = 0;
        int i = 0;
        while (i < n) {
            ensure(n - i);
            byte[] b = buf;
            int l = len;
            char c;
            while (i < n && (c = s.charAt(i)) < 0x80 && c >= 0x20 && c != '\\') {
                b[l++] = (byte) c;
                i++;
            }
            len = l;
            if (i < n) {
                c = s.charAt(i);
                if (c == 0) {
                    throw nulCharacter(i);
                }
                if (c < 0x80) { // room for it was ensured with the run
                    escaped += c == '\\' || c == '\n' || c == '\r' || c == '\t' ? 1 : 0;
                    buf[len++] = (byte) c;
                    i++;
                } else {
                    i = appendUtf8(s, i);
                }
            }
        }
        int bytes = len - lengthAt - 4;
        buf[lengthAt] = (byte) (bytes >>> 24);
        buf[lengthAt + 1] = (byte) (bytes >>> 16);
        buf[lengthAt + 2] = (byte) (bytes >>> 8);
        buf[lengthAt + 3] = (byte) bytes;
        return bytes + escaped;
    }

    /** A {@code numeric} of exactly {@code unscaled × 10^-scale}, its display scale {@code max(scale, 0)}. */
    public CopyBinaryWriter appendNumeric(long unscaled, int scale) {
        if (unscaled == Long.MIN_VALUE) {
            return appendNumeric(BigDecimal.valueOf(unscaled, scale));
        }
        long abs = Math.abs(unscaled);
        int n = 0;
        do {
            digits[n++] = (byte) (abs % 10);
            abs /= 10;
        } while (abs != 0);
        for (int i = 0, j = n - 1; i < j; i++, j--) { // most significant first
            byte t = digits[i];
            digits[i] = digits[j];
            digits[j] = t;
        }
        return numeric(n, scale, unscaled < 0);
    }

    public CopyBinaryWriter appendNumeric(BigDecimal v) {
        if (v.precision() <= 18) {
            return appendNumeric(v.unscaledValue().longValue(), v.scale());
        }
        String text = v.unscaledValue().abs().toString();
        int n = text.length();
        if (digits.length < n) {
            digits = new byte[n];
        }
        for (int i = 0; i < n; i++) {
            digits[i] = (byte) (text.charAt(i) - '0');
        }
        return numeric(n, v.scale(), v.signum() < 0);
    }

    /**
     * Writes {@code digits[0..n) × 10^-scale} in base-10000 groups aligned at the decimal point, as
     * {@code numeric_send} does: ndigits, weight (of the first group), sign, display scale, groups.
     */
    private CopyBinaryWriter numeric(int n, int scale, boolean negative) {
        int dscale = Math.max(scale, 0);
        int first = 0;
        while (first < n && digits[first] == 0) {
            first++;
        }
        if (first == n) { // zero, with its scale
            return numericHeader(0, 0, NUMERIC_POS, dscale);
        }
        int last = n - 1;
        while (digits[last] == 0) {
            last--;
        }
        // the exponent of digit k is (n - 1 - k) - scale
        int high = Math.floorDiv(n - 1 - first - scale, 4);
        int low = Math.floorDiv(n - 1 - last - scale, 4);
        int ndigits = high - low + 1;
        if (high > Short.MAX_VALUE || low < Short.MIN_VALUE || dscale > 0x3FFF) {
            throw new BadValueException("the number " + (negative ? "-" : "") + "…E" + (n - 1 - first - scale)
                    + " is beyond PostgreSQL's numeric range");
        }
        if (groups.length < ndigits) {
            groups = new short[ndigits];
        }
        java.util.Arrays.fill(groups, 0, ndigits, (short) 0);
        for (int k = first; k <= last; k++) {
            int e = n - 1 - k - scale;
            int g = Math.floorDiv(e, 4);
            groups[high - g] += (short) (digits[k] * POW10[e - 4 * g]);
        }
        numericHeader(ndigits, high, negative ? NUMERIC_NEG : NUMERIC_POS, dscale);
        ensure(2 * ndigits);
        for (int i = 0; i < ndigits; i++) {
            putShort(groups[i]);
        }
        return this;
    }

    private static final int[] POW10 = {1, 10, 100, 1000};

    private CopyBinaryWriter numericHeader(int ndigits, int weight, int sign, int dscale) {
        ensure(12);
        putInt(8 + 2 * ndigits);
        putShort(ndigits);
        putShort(weight);
        putShort(sign);
        putShort(dscale);
        return this;
    }

    private CopyBinaryWriter appendRawInt(int v) {
        ensure(4);
        putInt(v);
        return this;
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }
}
