package io.tidemark.control.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL one side of a comparison runs, as text: PostgreSQL (the target, or the demo source) or
 * Oracle (the source). Every query is built here so that both sides compute the same row text, the
 * same 60-bit row hash and the same key order; the Oracle text is unit-tested as it stands.
 */
public abstract class SideSql {

    /** Separates canonical values in a row's text; a NULL is {@code n}, a value {@code v<text>}. */
    static final String UNIT_SEPARATOR = "chr(31)";

    public static final SideSql POSTGRES = new SideSql() {
        @Override
        String quote(String name) {
            return '"' + name.replace("\"", "\"\"") + '"';
        }

        @Override
        String rowHash(List<String> canonicals) {
            List<String> parts = new ArrayList<>();
            canonicals.forEach(c -> parts.add("coalesce('v' || (" + c + "), 'n')"));
            return "('x' || substr(md5(concat_ws(" + UNIT_SEPARATOR + ", " + String.join(", ", parts)
                    + ")), 1, 15))::bit(60)::bigint";
        }

        @Override
        String ordered(String column, boolean text) {
            return text ? column + " COLLATE \"C\"" : column;
        }

        @Override
        String from(String table, Long scn) {
            return table;
        }

        @Override
        String keyAtLeast(List<String> keys) {
            return keys.size() == 1 ? keys.get(0) + " >= ?" : "(" + String.join(", ", keys) + ") >= (" + marks(keys) + ")";
        }

        @Override
        String keyBelow(List<String> keys) {
            return keys.size() == 1 ? keys.get(0) + " < ?" : "(" + String.join(", ", keys) + ") < (" + marks(keys) + ")";
        }

    };

    public static final SideSql ORACLE = new SideSql() {
        @Override
        String quote(String name) {
            return '"' + name.replace("\"", "\"\"") + '"';
        }

        @Override
        String rowHash(List<String> canonicals) {
            List<String> parts = new ArrayList<>();
            canonicals.forEach(c -> parts.add("NVL2(" + c + ", 'v' || " + c + ", 'n')"));
            return "TO_NUMBER(SUBSTR(RAWTOHEX(STANDARD_HASH(" + String.join(" || CHR(31) || ", parts)
                    + ", 'MD5')), 1, 15), 'XXXXXXXXXXXXXXX')";
        }

        // Bytewise through the session's NLS_COMP=BINARY and NLS_SORT=BINARY (Sessions sets them).
        @Override
        String ordered(String column, boolean text) {
            return column;
        }

        @Override
        int[] parameterOrder(int keys) {
            int[] order = new int[keys * (keys + 1) / 2];
            int n = 0;
            for (int i = 0; i < keys; i++) {
                for (int j = 0; j <= i; j++) {
                    order[n++] = j;
                }
            }
            return order;
        }

        @Override
        String from(String table, Long scn) {
            return scn == null ? table : table + " AS OF SCN " + scn;
        }

        // Oracle converts the bound text to the column's type (NUMBER, VARCHAR2): the column stays indexable.
        @Override
        String keyEquals(String column, String type) {
            return column + " = ?";
        }

        // Oracle has no row-value comparison with < and >=: spelled out, lexicographically.
        @Override
        String keyAtLeast(List<String> keys) {
            return lexicographic(keys, ">", ">=");
        }

        @Override
        String keyBelow(List<String> keys) {
            return lexicographic(keys, "<", "<");
        }
    };

    abstract String quote(String name);

    /** A 60-bit unsigned hash of the row's canonical text: summed as a decimal, it cannot overflow. */
    abstract String rowHash(List<String> canonicals);

    /** A key column in an order both databases share (bytewise for text). */
    abstract String ordered(String column, boolean text);

    /** The table as of marker N's SCN (Oracle flashback), or as it is now. */
    abstract String from(String table, Long scn);

    abstract String keyAtLeast(List<String> keys);

    abstract String keyBelow(List<String> keys);

    /** Which key value each {@code ?} of a bound takes, in order. */
    int[] parameterOrder(int keys) {
        int[] order = new int[keys];
        for (int i = 0; i < keys; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Count and the sum of row hashes of one key range (null bounds are open). */
    String summary(String table, Long scn, List<String> canonicals, List<String> orderedKeys, boolean lower,
                   boolean upper) {
        return "SELECT count(*), coalesce(sum(h), 0) FROM (SELECT " + rowHash(canonicals) + " AS h FROM "
                + from(table, scn) + where(orderedKeys, lower, upper) + ") s";
    }

    /** The canonical values of every row of a range (the key's canonical values first). */
    String rows(String table, Long scn, List<String> canonicals, List<String> orderedKeys, boolean lower, boolean upper) {
        return "SELECT " + String.join(", ", canonicals) + " FROM " + from(table, scn) + where(orderedKeys, lower, upper);
    }

    /** The keys at every {@code step}-th row, in key order: where the ranges start. */
    String boundaries(String table, Long scn, List<String> keys, List<String> orderedKeys, int step) {
        return "SELECT " + String.join(", ", keys) + " FROM (SELECT " + String.join(", ", keys)
                + ", row_number() OVER (ORDER BY " + String.join(", ", orderedKeys) + ") AS rn FROM " + from(table, scn)
                + ") s WHERE mod(rn, " + step + ") = 1 AND rn > 1 ORDER BY rn";
    }

    /** The key {@code offset} rows into a range: where a differing range is split. */
    String middle(String table, Long scn, List<String> keys, List<String> orderedKeys, boolean lower, boolean upper,
                  int offset) {
        return "SELECT " + String.join(", ", keys) + " FROM " + from(table, scn) + where(orderedKeys, lower, upper)
                + " ORDER BY " + String.join(", ", orderedKeys) + " OFFSET " + offset + " ROWS FETCH FIRST 1 ROWS ONLY";
    }

    /**
     * Rows whose key is one of {@code count} keys; {@code keyMatch} holds one predicate per key column with one
     * {@code ?} each: a canonical form equal to the key's canonical text (the confirm pass), or the column equal to a
     * value cast to its type, which an index serves ({@code --changed-since}).
     */
    String rowsByKeys(String table, Long scn, List<String> canonicals, List<String> keyMatch, int count) {
        String one = "(" + String.join(" AND ", keyMatch) + ")";
        List<String> any = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            any.add(one);
        }
        return "SELECT " + String.join(", ", canonicals) + " FROM " + from(table, scn) + " WHERE " + String.join(" OR ", any);
    }

    /** A key column equal to a value given as text, in a form an index on the column serves. */
    String keyEquals(String column, String type) {
        return type == null ? column + " = ?" : column + " = CAST(? AS " + type + ")";
    }

    private String where(List<String> orderedKeys, boolean lower, boolean upper) {
        List<String> preds = new ArrayList<>();
        if (lower) {
            preds.add(keyAtLeast(orderedKeys));
        }
        if (upper) {
            preds.add(keyBelow(orderedKeys));
        }
        return preds.isEmpty() ? "" : " WHERE " + String.join(" AND ", preds);
    }

    private static String marks(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "?").toList());
    }

    private static String lexicographic(List<String> keys, String strict, String last) {
        List<String> ors = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<String> and = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                and.add(keys.get(j) + " = ?");
            }
            and.add(keys.get(i) + " " + (i == keys.size() - 1 ? last : strict) + " ?");
            ors.add(String.join(" AND ", and));
        }
        return "(" + String.join(" OR ", ors.stream().map(s -> "(" + s + ")").toList()) + ")";
    }
}
