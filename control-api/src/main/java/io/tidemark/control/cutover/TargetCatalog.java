package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the target has in place already, from its {@code pg_catalog}, so that a rerun plans only what
 * is missing: keys are {@code schema.table.column}, {@code schema.table.constraint},
 * {@code schema.index}, {@code schema.sequence}, all in target names.
 *
 * @param constraints validated or not (a NOT VALID constraint still needs its VALIDATE)
 * @param indexes     valid or not (a failed CONCURRENTLY build leaves an invalid index behind)
 * @param sequences   the value each sequence hands out next
 * @param identities  identity columns and their sequence's next value
 */
public record TargetCatalog(Set<String> columns, Set<String> notNull, Set<String> withDefault,
                            Map<String, Boolean> constraints, Map<String, Boolean> indexes, Map<String, Long> sequences,
                            Map<String, Long> identities, Set<String> partitioned) {

    public static TargetCatalog empty() {
        return new TargetCatalog(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashMap<>(), new HashMap<>(),
                new HashMap<>(), new HashMap<>(), new HashSet<>());
    }

    private static final String COLUMNS = "SELECT n.nspname, c.relname, a.attname, a.attnotnull, a.atthasdef, a.attidentity,"
            + " c.relkind, CASE WHEN a.attidentity <> '' THEN"
            + " pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) END"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid"
            + " AND a.attnum > 0 AND NOT a.attisdropped WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(?::text[])";
    private static final String CONSTRAINTS = "SELECT n.nspname, c.relname, k.conname, k.convalidated FROM pg_constraint k"
            + " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ANY(?::text[])";
    private static final String INDEXES = "SELECT n.nspname, c.relname, i.indisvalid FROM pg_index i"
            + " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ANY(?::text[])";
    private static final String SEQUENCES = "SELECT schemaname, sequencename, quote_ident(schemaname) || '.' || quote_ident(sequencename)"
            + " FROM pg_sequences WHERE schemaname = ANY(?::text[])";

    public static TargetCatalog read(Connection c, Collection<String> schemas) throws SQLException {
        TargetCatalog t = empty();
        Map<String, String> identities = new HashMap<>();
        Object[] names = schemas.toArray();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3);
                    t.columns().add(column);
                    if (rs.getBoolean(4)) {
                        t.notNull().add(column);
                    }
                    if (rs.getBoolean(5)) {
                        t.withDefault().add(column);
                    }
                    if (!rs.getString(6).isEmpty()) {
                        identities.put(column, rs.getString(8));
                    }
                    if ("p".equals(rs.getString(7))) {
                        t.partitioned().add(rs.getString(1) + "." + rs.getString(2));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(CONSTRAINTS)) {
            ps.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.constraints().put(rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3), rs.getBoolean(4));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INDEXES)) {
            ps.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.indexes().put(rs.getString(1) + "." + rs.getString(2), rs.getBoolean(3));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SEQUENCES)) {
            ps.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.sequences().put(rs.getString(1) + "." + rs.getString(2), SequenceState.next(c, rs.getString(3)));
                }
            }
        }
        for (Map.Entry<String, String> e : identities.entrySet()) {
            t.identities().put(e.getKey(), SequenceState.next(c, e.getValue()));
        }
        return t;
    }
}
