package io.tidemark.sink.types;

import java.util.Arrays;

/**
 * The growable byte buffer under both {@code COPY} encodings ({@link CopyTextWriter},
 * {@link CopyBinaryWriter}): what the write path sends, a chunk at a time, and keeps for sending a
 * range of rows again. A row that fails half-way is dropped with {@link #mark()} and {@link #rewind(int)}.
 */
public abstract class CopyBuffer {

    protected byte[] buf;
    protected int len;

    protected CopyBuffer(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public final byte[] array() {
        return buf;
    }

    public final int length() {
        return len;
    }

    public final void reset() {
        len = 0;
    }

    /** The current length, to {@link #rewind(int)} to when a row turns out bad half-way. */
    public final int mark() {
        return len;
    }

    public final void rewind(int mark) {
        len = mark;
    }

    /** What a {@code COPY} of these rows sends before the first row (the binary format's header). */
    public abstract byte[] copyHeader();

    /** What it sends after the last row. */
    public abstract byte[] copyTrailer();

    protected final void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /**
     * Appends the UTF-8 of the non-ASCII character at {@code i} of {@code s} (a pair for a
     * surrogate); returns the index after it.
     *
     * @throws BadValueException on an unpaired surrogate, which is not valid UTF-8
     */
    protected final int appendUtf8(CharSequence s, int i) {
        char c = s.charAt(i);
        if (c < 0x800) {
            ensure(2);
            buf[len++] = (byte) (0xC0 | (c >> 6));
            buf[len++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                throw new BadValueException("text contains an unpaired UTF-16 surrogate at position " + i
                        + ", which is not valid UTF-8");
            }
        } else {
            ensure(3);
            buf[len++] = (byte) (0xE0 | (c >> 12));
            buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (c & 0x3F));
        }
        return i + 1;
    }

    /** The NUL character PostgreSQL text cannot hold. */
    protected static BadValueException nulCharacter(int position) {
        return new BadValueException("text contains a NUL character (U+0000) at position " + position
                + ", which PostgreSQL cannot store");
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }
}
