package io.tidemark.control.cutover;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rows of Oracle's dictionary views as {@link OracleCatalog} reads them, and the {@link Structure}
 * they describe. A plain class, so that what the cutover makes of Oracle's catalog is tested on
 * expected text without an Oracle.
 */
final class OracleRows {

    record Column(String table, String name, boolean notNull, boolean identity, String dataDefault) {
    }

    record IdentityRow(String table, String column, boolean always, Long lastNumber, Long increment) {
    }

    /** @param referencedTable {@code OWNER.TABLE} of a foreign key's referenced key, else null */
    record ConstraintRow(String table, String name, String type, String searchCondition, String referencedTable,
                         String referencedConstraint, String deleteRule, String indexName, boolean generatedName) {
    }

    record ConstraintColumn(String owner, String constraint, String column) {
    }

    record IndexRow(String table, String name, boolean unique, String type) {
    }

    record IndexColumn(String table, String index, String column, boolean descending) {
    }

    record SequenceRow(String owner, String name, Long lastNumber, Long increment, Long minValue, Long maxValue,
                       boolean cycle) {
    }

    /** The NOT NULL constraints Oracle writes for a column declared NOT NULL: ALL_TAB_COLUMNS.NULLABLE says it already. */
    private static final Pattern NOT_NULL_CHECK = Pattern.compile("^\\s*\"?[^\"\\s]+\"?\\s+IS\\s+NOT\\s+NULL\\s*$",
            Pattern.CASE_INSENSITIVE);

    final List<Column> columns = new ArrayList<>();
    final List<IdentityRow> identities = new ArrayList<>();
    final List<ConstraintRow> constraints = new ArrayList<>();
    final List<ConstraintColumn> constraintColumns = new ArrayList<>();
    final List<IndexRow> indexes = new ArrayList<>();
    final List<IndexColumn> indexColumns = new ArrayList<>();
    final List<SequenceRow> sequences = new ArrayList<>();

    Structure structure(List<String> tables) {
        Structure s = Structure.empty();
        Set<String> identityColumns = new HashSet<>();
        for (IdentityRow i : identities) {
            identityColumns.add(i.table() + "." + i.column());
            s.identities().add(new Structure.Identity(i.table(), i.column(), i.always(),
                    i.lastNumber() == null ? 1 : i.lastNumber(), i.increment() == null ? 1 : i.increment()));
        }
        for (Column c : columns) {
            if (c.notNull()) {
                s.notNulls().add(new Structure.NotNull(c.table(), c.name()));
            }
            String def = c.dataDefault() == null ? null : c.dataDefault().strip();
            if (def != null && !def.isEmpty() && !def.equalsIgnoreCase("NULL") && !c.identity()
                    && !identityColumns.contains(c.table() + "." + c.name())) {
                s.defaults().add(new Structure.ColumnDefault(c.table(), c.name(), def));
            }
        }
        Set<String> constraintIndexes = new HashSet<>();
        for (ConstraintRow k : constraints) {
            String owner = k.table().substring(0, k.table().indexOf('.'));
            if (k.indexName() != null) {
                constraintIndexes.add(k.table() + "." + k.indexName());
            }
            switch (k.type()) {
                case "C" -> {
                    if (k.searchCondition() == null) {
                        s.unread().add(new Structure.HandReview(k.table(), "check " + k.name(), "SEARCH_CONDITION_VC is "
                                + "empty (Oracle before 12.2 keeps it only as a LONG)"));
                    } else if (!(k.generatedName() && NOT_NULL_CHECK.matcher(k.searchCondition()).matches())) {
                        s.checks().add(new Structure.Check(k.table(), k.name(), k.searchCondition()));
                    }
                }
                case "U" -> s.indexes().add(new Structure.Index(k.table(), k.name(), true, true,
                        columnsOf(owner, k.name()).stream().map(col -> Structure.IndexKey.column(col, false)).toList(),
                        List.of(), "btree", null));
                case "R" -> {
                    if (!tables.contains(k.referencedTable())) {
                        s.unread().add(new Structure.HandReview(k.table(), "foreign key " + k.name(), "it references "
                                + k.referencedTable() + ", which is not a table of this project"));
                    } else {
                        String rOwner = k.referencedTable().substring(0, k.referencedTable().indexOf('.'));
                        s.foreignKeys().add(new Structure.ForeignKey(k.table(), k.name(), columnsOf(owner, k.name()),
                                k.referencedTable(), columnsOf(rOwner, k.referencedConstraint()),
                                k.deleteRule() == null ? "NO ACTION" : k.deleteRule(), "NO ACTION"));
                    }
                }
                default -> { } // P: the sink created the primary key
            }
        }
        for (IndexRow i : indexes) {
            if (constraintIndexes.contains(i.table() + "." + i.name()) || i.type().equals("LOB")
                    || i.type().startsWith("IOT")) {
                continue;
            }
            List<IndexColumn> keys = indexColumns.stream().filter(c -> c.table().equals(i.table()) && c.index().equals(i.name()))
                    .toList();
            boolean expression = keys.stream().anyMatch(c -> c.column().startsWith("SYS_NC"));
            if (!(i.type().equals("NORMAL") || i.type().equals("BITMAP")) || expression) {
                s.unread().add(new Structure.HandReview(i.table(), "index " + i.name() + " (" + i.type() + ")",
                        expression ? "its keys are expressions (ALL_IND_EXPRESSIONS) or DESC columns, not translated"
                                : "index type " + i.type() + " has no PostgreSQL counterpart here"));
                continue;
            }
            // A bitmap index answers the same queries as a B-tree in PostgreSQL, which has no stored bitmaps.
            s.indexes().add(new Structure.Index(i.table(), i.name(), i.unique(), false,
                    keys.stream().map(c -> Structure.IndexKey.column(c.column(), c.descending())).toList(), List.of(),
                    "btree", null));
        }
        for (SequenceRow q : sequences) {
            s.sequences().add(new Structure.Sequence(q.owner(), q.name(), q.lastNumber() == null ? 1 : q.lastNumber(),
                    q.increment() == null ? 1 : q.increment(), q.minValue(), q.maxValue(), q.cycle(), null, null));
        }
        return s;
    }

    private List<String> columnsOf(String owner, String constraint) {
        return constraintColumns.stream().filter(c -> c.owner().equals(owner) && c.constraint().equals(constraint))
                .map(ConstraintColumn::column).toList();
    }
}
