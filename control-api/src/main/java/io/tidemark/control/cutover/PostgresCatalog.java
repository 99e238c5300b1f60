package io.tidemark.control.cutover;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The structure of the migrated tables from a PostgreSQL source's {@code pg_catalog} (the demo
 * source). The primary key is left out: the sink created it. Exclusion constraints and generated
 * columns are listed for hand review.
 */
public final class PostgresCatalog implements SourceCatalog {

    /** The migrated tables as (schema, name) pairs, bound as two text arrays. */
    private static final String TABLES = "(n.nspname, c.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))";
    private static final String FROM_TABLES = " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace";

    static final String COLUMNS = "SELECT n.nspname, c.relname, a.attname, a.attnotnull, pg_get_expr(d.adbin, d.adrelid),"
            + " a.attidentity, a.attgenerated, pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
            + " a.attname)" + FROM_TABLES + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            + " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE " + TABLES + " ORDER BY 1, 2, a.attnum";
    static final String CONSTRAINTS = "SELECT n.nspname, c.relname, k.conname, k.contype, pg_get_expr(k.conbin, k.conrelid),"
            + " array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(num, pos) JOIN pg_attribute a"
            + " ON a.attrelid = k.conrelid AND a.attnum = u.num ORDER BY u.pos),"
            + " rn.nspname, rc.relname, array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(num, pos)"
            + " JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num ORDER BY u.pos),"
            + " k.confdeltype, k.confupdtype, pg_get_constraintdef(k.oid)" + FROM_TABLES
            + " JOIN pg_constraint k ON k.conrelid = c.oid LEFT JOIN pg_class rc ON rc.oid = k.confrelid"
            + " LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE k.contype IN ('c', 'f', 'x') AND " + TABLES
            + " ORDER BY 1, 2, 3";
    static final String INDEXES = "SELECT n.nspname, c.relname, ic.relname, i.indisunique,"
            + " EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype = 'u'),"
            + " am.amname, pg_get_expr(i.indpred, i.indrelid),"
            + " array(SELECT coalesce(a.attname, '') FROM generate_series(0, i.indnkeyatts - 1) k"
            + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] ORDER BY k),"
            + " array(SELECT pg_get_indexdef(i.indexrelid, k + 1, true) FROM generate_series(0, i.indnkeyatts - 1) k ORDER BY k),"
            + " array(SELECT (i.indoption[k] & 1) = 1 FROM generate_series(0, i.indnkeyatts - 1) k ORDER BY k),"
            + " array(SELECT a.attname FROM generate_series(i.indnkeyatts, i.indnatts - 1) k"
            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] ORDER BY k)" + FROM_TABLES
            + " JOIN pg_index i ON i.indrelid = c.oid JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam"
            + " WHERE NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
            + " AND k.contype = 'x') AND " + TABLES + " ORDER BY 1, 2, 3";
    /** Sequences of the migrated tables' schemas, except an identity column's own (that is the identity's). */
    static final String SEQUENCES = "SELECT s.schemaname, s.sequencename, quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename),"
            + " s.increment_by, s.min_value, s.max_value, s.cycle, tn.nspname, t.relname, a.attname"
            + " FROM pg_sequences s JOIN pg_namespace n ON n.nspname = s.schemaname"
            + " JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename"
            + " LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.refobjsubid > 0"
            + " LEFT JOIN pg_class t ON t.oid = d.refobjid LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace"
            + " LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
            + " WHERE s.schemaname = ANY(?::text[]) AND coalesce(d.deptype, 'a') <> 'i' ORDER BY 1, 2";
    static final String SEQUENCE_INCREMENT = "SELECT seqincrement FROM pg_sequence WHERE seqrelid = ?::regclass";

    @Override
    public Structure read(Connection c, List<String> tables) throws SQLException {
        Structure s = Structure.empty();
        String[] schemas = tables.stream().map(t -> t.substring(0, t.indexOf('.'))).toArray(String[]::new);
        String[] names = tables.stream().map(t -> t.substring(t.indexOf('.') + 1)).toArray(String[]::new);
        Set<String> migrated = new TreeSet<>(tables);
        try (PreparedStatement ps = bind(c, COLUMNS, schemas, names); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1) + "." + rs.getString(2);
                String column = rs.getString(3);
                if (rs.getBoolean(4)) {
                    s.notNulls().add(new Structure.NotNull(table, column));
                }
                String identity = rs.getString(6);
                if (!rs.getString(7).isEmpty()) {
                    s.unread().add(new Structure.HandReview(table, "generated column " + column + " AS " + rs.getString(5),
                            "the sink loads it as a plain column; making it generated means rewriting the table"));
                } else if (!identity.isEmpty()) {
                    long[] next = sequenceNext(c, rs.getString(8));
                    s.identities().add(new Structure.Identity(table, column, "a".equals(identity), next[0], next[1]));
                } else if (rs.getString(5) != null) {
                    s.defaults().add(new Structure.ColumnDefault(table, column, rs.getString(5)));
                }
            }
        }
        try (PreparedStatement ps = bind(c, CONSTRAINTS, schemas, names); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1) + "." + rs.getString(2);
                switch (rs.getString(4)) {
                    case "c" -> s.checks().add(new Structure.Check(table, rs.getString(3), rs.getString(5)));
                    case "f" -> {
                        String referenced = rs.getString(7) + "." + rs.getString(8);
                        if (!migrated.contains(referenced)) {
                            s.unread().add(new Structure.HandReview(table, "foreign key " + rs.getString(3), "it references "
                                    + referenced + ", which is not a table of this project"));
                        } else {
                            s.foreignKeys().add(new Structure.ForeignKey(table, rs.getString(3), strings(rs.getArray(6)),
                                    referenced, strings(rs.getArray(9)), action(rs.getString(10)), action(rs.getString(11))));
                        }
                    }
                    default -> s.unread().add(new Structure.HandReview(table, "exclusion constraint " + rs.getString(3)
                            + " " + rs.getString(12), "exclusion constraints are not restored by the cutover"));
                }
            }
        }
        try (PreparedStatement ps = bind(c, INDEXES, schemas, names); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> columns = strings(rs.getArray(8));
                List<String> defs = strings(rs.getArray(9));
                Boolean[] desc = (Boolean[]) rs.getArray(10).getArray();
                List<Structure.IndexKey> keys = new ArrayList<>();
                for (int k = 0; k < columns.size(); k++) {
                    keys.add(columns.get(k).isEmpty() ? new Structure.IndexKey(null, defs.get(k), desc[k])
                            : Structure.IndexKey.column(columns.get(k), desc[k]));
                }
                s.indexes().add(new Structure.Index(rs.getString(1) + "." + rs.getString(2), rs.getString(3),
                        rs.getBoolean(4), rs.getBoolean(5), keys, strings(rs.getArray(11)), rs.getString(6), rs.getString(7)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SEQUENCES)) {
            ps.setArray(1, c.createArrayOf("text", new TreeSet<>(Arrays.asList(schemas)).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String owner = rs.getString(8) == null ? null : rs.getString(8) + "." + rs.getString(9);
                    if (owner != null && !migrated.contains(owner)) {
                        continue; // feeds a table this project does not migrate
                    }
                    s.sequences().add(new Structure.Sequence(rs.getString(1), rs.getString(2),
                            SequenceState.next(c, rs.getString(3)), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getBoolean(7), owner, rs.getString(10)));
                }
            }
        }
        return s;
    }

    private static long[] sequenceNext(Connection c, String sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SEQUENCE_INCREMENT)) {
            ps.setString(1, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {SequenceState.next(c, sequence), rs.getLong(1)};
            }
        }
    }

    private static PreparedStatement bind(Connection c, String sql, String[] schemas, String[] names) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setArray(1, c.createArrayOf("text", schemas));
        ps.setArray(2, c.createArrayOf("text", names));
        return ps;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    static String action(String code) {
        return switch (code == null ? "a" : code) {
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> "NO ACTION";
        };
    }
}
