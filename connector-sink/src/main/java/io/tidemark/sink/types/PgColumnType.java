package io.tidemark.sink.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The type of an existing PostgreSQL column as {@code format_type(atttypid, atttypmod)} prints it,
 * split into a canonical base name and its modifiers: {@code character varying(20)} is base
 * {@code varchar} with modifiers [20]; {@code numeric(10,2)} is {@code numeric} [10, 2];
 * {@code timestamp(3) without time zone} is {@code timestamp} [3]; {@code integer[]} is an array.
 */
public record PgColumnType(String formatted, String base, List<Integer> modifiers, boolean array) {

    public static PgColumnType parse(String formatted) {
        String t = formatted.trim().toLowerCase(Locale.ROOT);
        boolean array = t.endsWith("[]");
        if (array) {
            t = t.substring(0, t.length() - 2).trim();
        }
        List<Integer> modifiers = new ArrayList<>();
        int open = t.indexOf('(');
        if (open >= 0) {
            int close = t.indexOf(')', open);
            for (String m : t.substring(open + 1, close).split(",")) {
                try {
                    modifiers.add(Integer.valueOf(m.trim()));
                } catch (NumberFormatException ignored) {
                    // interval field restrictions and the like carry no number
                }
            }
            t = (t.substring(0, open) + t.substring(close + 1)).replaceAll("\\s+", " ").trim();
        }
        if (t.startsWith("\"") && t.endsWith("\"")) {
            // a quoted name is a user type (or the internal "char"), never one of the SQL spellings below
            return new PgColumnType(formatted, t, List.copyOf(modifiers), array);
        }
        int dot = t.lastIndexOf('.');
        if (dot >= 0 && !t.contains(" ")) {
            t = t.substring(dot + 1); // schema-qualified user types: keep the type name
        }
        return new PgColumnType(formatted, canonical(t), List.copyOf(modifiers), array);
    }

    private static String canonical(String t) {
        return switch (t) {
            case "character varying" -> "varchar";
            case "character", "char", "bpchar" -> "char";
            case "timestamp without time zone", "timestamp" -> "timestamp";
            case "timestamp with time zone", "timestamptz" -> "timestamptz";
            case "time without time zone", "time" -> "time";
            case "time with time zone", "timetz" -> "timetz";
            case "double precision", "float8" -> "double precision";
            case "real", "float4" -> "real";
            case "integer", "int", "int4" -> "integer";
            case "smallint", "int2" -> "smallint";
            case "bigint", "int8" -> "bigint";
            case "boolean", "bool" -> "boolean";
            case "decimal" -> "numeric";
            case "bit varying", "varbit" -> "varbit";
            default -> t.startsWith("interval") ? "interval" : t;
        };
    }

    /** The first modifier (length, precision), or null. */
    public Integer length() {
        return modifiers.isEmpty() ? null : modifiers.get(0);
    }

    /** The second modifier (scale), or null. */
    public Integer scale() {
        return modifiers.size() < 2 ? null : modifiers.get(1);
    }

    /**
     * An interval column's field restriction as PostgreSQL prints it ({@code "year to month"},
     * {@code "day to second"}), {@code ""} for an unrestricted interval, null for other types.
     */
    public String intervalFields() {
        if (!base.equals("interval")) {
            return null;
        }
        String t = formatted.trim().toLowerCase(Locale.ROOT).replace("[]", "").replaceAll("\\(\\s*\\d+\\s*\\)", " ");
        t = t.replaceAll("\\s+", " ").trim();
        return t.startsWith("interval") ? t.substring("interval".length()).trim() : "";
    }

    public boolean isOneOf(String... bases) {
        if (array) {
            return false;
        }
        for (String b : bases) {
            if (base.equals(b)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return formatted;
    }
}
