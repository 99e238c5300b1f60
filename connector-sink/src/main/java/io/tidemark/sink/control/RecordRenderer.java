package io.tidemark.sink.control;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Renders a record's key or value as JSON for the error table, so an operator can read what was
 * refused and replay it by hand. Bytes are base64, decimals plain, dates ISO-8601.
 */
public final class RecordRenderer {

    private RecordRenderer() {
    }

    public static String json(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Struct struct) {
            sb.append('{');
            boolean first = true;
            for (Field f : struct.schema().fields()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, f.name());
                sb.append(':');
                append(sb, struct.get(f));
            }
            sb.append('}');
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Collection<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                append(sb, o);
            }
            sb.append(']');
        } else if (value instanceof byte[] bytes) {
            string(sb, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            string(sb, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof BigDecimal decimal) {
            sb.append(decimal.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            String s = value.toString();
            if (s.equals("NaN") || s.contains("Infinity")) {
                string(sb, s);
            } else {
                sb.append(s);
            }
        } else if (value instanceof Date date) {
            string(sb, date.toInstant().toString());
        } else {
            string(sb, value.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
