package io.tidemark.control.verify;

import java.util.Locale;

import io.tidemark.sink.types.SourceColumn;

/**
 * The canonical form of each type pair the sink maps (docs/types.md), computed in SQL on both sides
 * so that a value the sink wrote as its mapping says compares equal to the source's value, and any
 * other value does not. The target is always PostgreSQL; the rule is chosen by the target column's
 * type (which the sink chose from the source type) and the source's dialect. Each rule is tested
 * against the sink's own conversion of the same value ({@code CanonicalFormsTest}).
 *
 * <p>A PostgreSQL source holds the same types as the target, so its rules are the identity in
 * PostgreSQL's own text output (session settings fixed by {@link Sessions}), with unbounded text and
 * bytes hashed. An Oracle source needs a rule per pair: numbers at the target's scale, '' as NULL,
 * CHAR padding removed, times in UTC at six fractional digits, floats in 17 significant digits,
 * LOBs by MD5.
 */
public final class CanonicalForms {

    /** Thrown for a pair no rule covers: the column is left out of the comparison, and the result says so. */
    public static final class NoRule extends Exception {
        public NoRule(String message) {
            super(message);
        }
    }

    private static final String MD5_PG = "md5(%1$s)";
    private static final String ORA_TS6 = "TO_CHAR(CAST(%1$s AS TIMESTAMP(6)), 'YYYY-MM-DD HH24:MI:SS.FF6')";
    private static final String PG_TS6 = "to_char(%1$s, 'YYYY-MM-DD HH24:MI:SS.US')";

    private CanonicalForms() {
    }

    /**
     * @param targetType the target column's {@code format_type}, e.g. {@code numeric(12,3)}
     * @param sourceType the source column's {@code format_type} (PostgreSQL)
     */
    public static Canonical postgres(String targetType, String sourceType) throws NoRule {
        String t = targetType.toLowerCase(Locale.ROOT);
        if (!t.equals(sourceType.toLowerCase(Locale.ROOT)) && !compatible(t, sourceType.toLowerCase(Locale.ROOT))) {
            throw new NoRule("the target column is " + targetType + " and the source column " + sourceType
                    + ": not the type the sink maps it to (docs/types.md)");
        }
        if (t.equals("text") || t.equals("bytea") || t.equals("json") || t.equals("jsonb") || t.equals("xml")) {
            String expr = t.equals("text") || t.equals("bytea") ? MD5_PG : "md5(%1$s::text)";
            return new Canonical(expr, expr, t.equals("bytea") ? "bytes by MD5" : "unbounded text by MD5", true);
        }
        return new Canonical("%1$s::text", "%1$s::text", "PostgreSQL text output", false);
    }

    // The sink widens where it must: an unknown length becomes the unbounded type (docs/types.md).
    private static boolean compatible(String target, String source) {
        return base(target).equals(base(source)) || target.equals("text") && source.startsWith("character")
                || target.equals("numeric") && source.startsWith("numeric");
    }

    private static String base(String type) {
        int paren = type.indexOf('(');
        return paren < 0 ? type : type.substring(0, paren) + type.substring(type.indexOf(')') + 1);
    }

    /**
     * @param targetType the target column's {@code format_type}
     * @param source     the Oracle column as {@code ALL_TAB_COLUMNS} describes it (type, precision or length, scale)
     */
    public static Canonical oracle(String targetType, SourceColumn source) throws NoRule {
        String t = targetType.toLowerCase(Locale.ROOT);
        String o = source.typeName() == null ? "" : source.typeName().toUpperCase(Locale.ROOT);
        if (t.equals("smallint") || t.equals("integer") || t.equals("bigint")) {
            return new Canonical("%1$s::text", "TO_CHAR(%1$s)", "integer", false);
        }
        if (t.startsWith("numeric(")) {
            int scale = scaleOf(t);
            if (scale <= 0) {
                return new Canonical("%1$s::text", "TO_CHAR(%1$s)", "NUMBER(p) as integer digits", false);
            }
            int precision = precisionOf(t);
            String format = "FM" + "9".repeat(Math.max(0, precision - scale - 1)) + "0D" + "0".repeat(scale);
            return new Canonical("%1$s::text", "TO_CHAR(%1$s, '" + format + "', 'NLS_NUMERIC_CHARACTERS=''.,''')",
                    "NUMBER(p,s) at the target's scale", false);
        }
        if (t.equals("numeric")) {
            return new Canonical("trim_scale(%1$s)::text", "REGEXP_REPLACE(TO_CHAR(%1$s, 'TM9', "
                    + "'NLS_NUMERIC_CHARACTERS=''.,'''), '^(-?)\\.', '\\10.')", "NUMBER as its shortest decimal", false);
        }
        if (t.equals("real") || t.equals("double precision")) {
            String digits = t.equals("real") ? "00000000" : "0000000000000000";
            String inf = t.equals("real") ? "BINARY_FLOAT_INFINITY" : "BINARY_DOUBLE_INFINITY";
            return new Canonical("CASE WHEN %1$s = 'NaN' THEN 'NaN' WHEN %1$s = 'Infinity' THEN 'Infinity'"
                    + " WHEN %1$s = '-Infinity' THEN '-Infinity' ELSE upper(ltrim(to_char(%1$s, '9." + digits + "EEEE'))) END",
                    "CASE WHEN %1$s IS NAN THEN 'NaN' WHEN %1$s = " + inf + " THEN 'Infinity' WHEN %1$s = -" + inf
                            + " THEN '-Infinity' ELSE TO_CHAR(%1$s, 'FM9." + digits + "EEEE') END",
                    "BINARY_FLOAT/DOUBLE in significant digits", false);
        }
        if (t.startsWith("character varying") || t.equals("text") && !o.contains("LOB")) {
            return new Canonical("NULLIF(%1$s, '')", "%1$s", "VARCHAR2: '' is NULL", false);
        }
        if (t.startsWith("character(")) {
            return new Canonical("NULLIF(rtrim(%1$s::text, ' '), '')", "RTRIM(%1$s, ' ')", "CHAR without its padding",
                    false);
        }
        if (t.equals("text")) {
            return new Canonical("md5(NULLIF(%1$s, ''))", "CASE WHEN DBMS_LOB.GETLENGTH(%1$s) > 0 THEN"
                    + " LOWER(RAWTOHEX(DBMS_CRYPTO.HASH(%1$s, 2))) END", "CLOB by MD5", true);
        }
        if (t.equals("bytea")) {
            String hash = o.equals("RAW") ? "LOWER(RAWTOHEX(STANDARD_HASH(%1$s, 'MD5')))"
                    : "CASE WHEN DBMS_LOB.GETLENGTH(%1$s) > 0 THEN LOWER(RAWTOHEX(DBMS_CRYPTO.HASH(%1$s, 2))) END";
            return new Canonical("md5(NULLIF(%1$s, '\\x'::bytea))", hash, "RAW/BLOB by MD5", true);
        }
        if (t.startsWith("timestamp") && t.contains("with time zone")) {
            return new Canonical("to_char(%1$s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
                    "TO_CHAR(CAST(SYS_EXTRACT_UTC(%1$s) AS TIMESTAMP(6)), 'YYYY-MM-DD HH24:MI:SS.FF6')",
                    "TIMESTAMP WITH [LOCAL] TIME ZONE in UTC", false);
        }
        if (t.startsWith("timestamp")) {
            return new Canonical(PG_TS6, ORA_TS6, "DATE/TIMESTAMP at six fractional digits", false);
        }
        if (t.equals("interval") && o.contains("YEAR")) {
            return new Canonical("(extract(year FROM %1$s) * 12 + extract(month FROM %1$s))::text",
                    "TO_CHAR(EXTRACT(YEAR FROM %1$s) * 12 + EXTRACT(MONTH FROM %1$s))", "INTERVAL YEAR TO MONTH in months",
                    false);
        }
        if (t.equals("interval")) {
            return new Canonical("round(extract(epoch FROM %1$s) * 1000000)::text",
                    "TO_CHAR(((EXTRACT(DAY FROM %1$s) * 24 + EXTRACT(HOUR FROM %1$s)) * 60 + EXTRACT(MINUTE FROM %1$s))"
                            + " * 60000000 + ROUND(EXTRACT(SECOND FROM %1$s) * 1000000))",
                    "INTERVAL DAY TO SECOND in microseconds", false);
        }
        throw new NoRule("no canonical form for Oracle " + (o.isEmpty() ? "(unknown type)" : o) + " stored as " + targetType
                + " (XMLTYPE and JSON are not compared; docs/verification.md)");
    }

    private static int precisionOf(String numeric) {
        String inner = numeric.substring(numeric.indexOf('(') + 1, numeric.indexOf(')'));
        return Integer.parseInt(inner.split(",")[0].trim());
    }

    private static int scaleOf(String numeric) {
        String inner = numeric.substring(numeric.indexOf('(') + 1, numeric.indexOf(')'));
        String[] parts = inner.split(",");
        return parts.length < 2 ? 0 : Integer.parseInt(parts[1].trim());
    }
}
