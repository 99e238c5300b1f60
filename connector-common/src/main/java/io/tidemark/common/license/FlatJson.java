package io.tidemark.common.license;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny, strict JSON writer and reader for one flat object whose values are strings or integers:
 * all the license claims need, without pulling a JSON library into {@code connector-common}.
 *
 * <p>The writer is canonical: members sorted by name, no whitespace, only the escapes JSON
 * requires. The reader accepts standard JSON of that shape and refuses everything else (nested
 * values, booleans, null, fractions, duplicate names, anything after the closing brace), saying
 * where, so that a signed payload has exactly one meaning.
 */
final class FlatJson {

    /** What {@link #peek()} returns past the end: a char that cannot start any JSON token. */
    private static final char END = '\uFFFF';

    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /** Writes the members sorted by name; values must be {@link String} or {@link Long}/{@link Integer}. */
    static String write(Map<String, ?> members) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, ?> member : new TreeMap<>(members).entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            writeString(out, member.getKey());
            out.append(':');
            Object value = member.getValue();
            if (value instanceof String s) {
                writeString(out, s);
            } else if (value instanceof Long || value instanceof Integer) {
                out.append(value);
            } else {
                throw new IllegalArgumentException("member '" + member.getKey() + "' is neither a string nor an integer: "
                        + (value == null ? "null" : value.getClass().getSimpleName()));
            }
        }
        return out.append('}').toString();
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Reads one flat object; values come back as {@link String} or {@link Long}, in document order.
     *
     * @throws IllegalArgumentException naming what is wrong and at which character
     */
    static Map<String, Object> read(String text) {
        FlatJson reader = new FlatJson(text);
        Map<String, Object> members = reader.readObject();
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected text after the closing '}'");
        }
        return members;
    }

    private Map<String, Object> readObject() {
        skipWhitespace();
        expect('{', "expected '{' to open the object");
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            int nameAt = pos;
            if (peek() != '"') {
                throw error("expected a member name in double quotes");
            }
            String name = readString();
            skipWhitespace();
            expect(':', "expected ':' after member name '" + name + "'");
            skipWhitespace();
            Object value = readValue(name);
            if (members.putIfAbsent(name, value) != null) {
                pos = nameAt;
                throw error("member '" + name + "' appears twice");
            }
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' after the value of '" + name + "'");
            }
        }
    }

    private Object readValue(String name) {
        char c = peek();
        if (c == '"') {
            return readString();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return readInteger(name);
        }
        String kind = switch (c) {
            case '{' -> "an object";
            case '[' -> "an array";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            case END -> "missing (the text ends)";
            default -> "not a JSON value";
        };
        throw error("the value of '" + name + "' is " + kind + "; only strings and integers are allowed");
    }

    private long readInteger(String name) {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsAt = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        if (pos == digitsAt) {
            throw error("expected digits in the value of '" + name + "'");
        }
        if (text.charAt(digitsAt) == '0' && pos - digitsAt > 1) {
            pos = digitsAt;
            throw error("the integer value of '" + name + "' has a leading zero");
        }
        char next = peek();
        if (next == '.' || next == 'e' || next == 'E') {
            throw error("the value of '" + name + "' is not an integer; only strings and integers are allowed");
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("the integer value of '" + name + "' does not fit in 64 bits");
        }
    }

    private String readString() {
        expect('"', "expected '\"'");
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in a string (it must be escaped)");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char escape = text.charAt(pos++);
            switch (escape) {
                case '"', '\\', '/' -> value.append(escape);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> value.append(readHexChar());
                default -> {
                    pos -= 2;
                    throw error("unknown escape '\\" + escape + "'");
                }
            }
        }
    }

    private char readHexChar() {
        if (pos + 4 > text.length()) {
            throw error("incomplete \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("bad hex digit in \\u escape");
            }
            code = code * 16 + digit;
        }
        pos += 4;
        return (char) code;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : END;
    }

    private void expect(char c, String message) {
        if (peek() != c) {
            throw error(message);
        }
        pos++;
    }

    // JSON's insignificant whitespace only: space, tab, newline, carriage return.
    private void skipWhitespace() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " (at character " + pos + ")");
    }
}
