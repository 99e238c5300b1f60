package io.tidemark.sink.naming;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;


/**
 * Maps source names to target names: explicit renames first (matched without regard to case, as
 * operators write {@code hr.emp} for Oracle's {@code HR.EMP}), then the name case rule.
 */
public final class NameMapper {

    private static final String DEFAULT_SCHEMA = "public";

    private final NameCase nameCase;
    private final String targetSchema;
    private final Map<String, String> schemaRenames;
    private final Map<String, String> tableRenames;
    private final Map<String, String> columnRenames;
    private final Map<String, String> schemaRenamesRaw;
    private final Map<String, String> tableRenamesRaw;
    private final Map<String, String> columnRenamesRaw;

    public NameMapper(NameCase nameCase, String targetSchema, Map<String, String> schemaRenames,
                      Map<String, String> tableRenames, Map<String, String> columnRenames) {
        this.nameCase = nameCase;
        this.targetSchema = targetSchema;
        this.schemaRenamesRaw = schemaRenames;
        this.tableRenamesRaw = tableRenames;
        this.columnRenamesRaw = columnRenames;
        this.schemaRenames = upperKeys(schemaRenames);
        this.tableRenames = upperKeys(tableRenames);
        this.columnRenames = upperKeys(columnRenames);
    }

    private static Map<String, String> upperKeys(Map<String, String> map) {
        Map<String, String> result = new HashMap<>();
        map.forEach((k, v) -> result.put(k.toUpperCase(Locale.ROOT), v));
        return result;
    }

    public TargetTable table(SourceTable source) {
        String renamed = tableRenames.get(source.qualified().toUpperCase(Locale.ROOT));
        String schema = schemaFor(source);
        if (renamed == null) {
            return new TargetTable(schema, nameCase.apply(source.table()));
        }
        int dot = renamed.indexOf('.');
        return dot < 0 ? new TargetTable(schema, renamed)
                : new TargetTable(renamed.substring(0, dot), renamed.substring(dot + 1));
    }

    private String schemaFor(SourceTable source) {
        if (targetSchema != null) {
            return targetSchema;
        }
        if (source.schema() == null) {
            return DEFAULT_SCHEMA;
        }
        String renamed = schemaRenames.get(source.schema().toUpperCase(Locale.ROOT));
        return renamed != null ? renamed : nameCase.apply(source.schema());
    }

    public String column(SourceTable source, String column) {
        String renamed = columnRenames.get((source.qualified() + "." + column).toUpperCase(Locale.ROOT));
        return renamed != null ? renamed : nameCase.apply(column);
    }

    /**
     * Configuration problems, each naming the offending entries: over-long target names,
     * renames of tables that none of {@code knownTables} is (when they are known), and two source
     * tables or columns that map to the same target name.
     *
     * @param knownTables the tables the connector's topics name, or null when they cannot be known
     *                    (topics.regex)
     * @return problems per configuration key
     */
    public Map<String, List<String>> problems(Collection<SourceTable> knownTables) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        schemaRenamesRaw.forEach((from, to) -> tooLong(problems, "schema.rename", from, to));
        tableRenamesRaw.forEach((from, to) -> {
            int dot = to.indexOf('.');
            if (dot >= 0) {
                tooLong(problems, "table.rename", from, to.substring(0, dot));
            }
            tooLong(problems, "table.rename", from, dot < 0 ? to : to.substring(dot + 1));
        });
        columnRenamesRaw.forEach((from, to) -> tooLong(problems, "column.rename", from, to));
        if (targetSchema != null) {
            String problem = Identifiers.problem(targetSchema);
            if (problem != null) {
                problems.computeIfAbsent("target.schema", k -> new ArrayList<>()).add(problem);
            }
        }

        columnRenamesRaw.keySet().stream().filter(k -> k.chars().filter(c -> c == '.').count() < 1)
                .forEach(k -> add(problems, "column.rename", "'" + k + "' must be SCHEMA.TABLE.COLUMN or TABLE.COLUMN"));

        // Two columns of one table renamed to the same name.
        Map<String, List<String>> columnTargets = new LinkedHashMap<>();
        columnRenamesRaw.forEach((from, to) -> {
            String table = from.substring(0, Math.max(0, from.lastIndexOf('.'))).toUpperCase(Locale.ROOT);
            columnTargets.computeIfAbsent(table + "\u0000" + to, k -> new ArrayList<>()).add(from);
        });
        columnTargets.forEach((key, froms) -> {
            if (froms.size() > 1) {
                add(problems, "column.rename", String.join(" and ", froms) + " both map to column '"
                        + key.substring(key.indexOf('\u0000') + 1) + "'");
            }
        });

        if (knownTables != null) {
            Set<String> known = knownTables.stream().map(t -> t.qualified().toUpperCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            String knownList = knownTables.stream().map(SourceTable::qualified).sorted().collect(Collectors.joining(", "));
            tableRenamesRaw.keySet().stream().filter(k -> !known.contains(k.toUpperCase(Locale.ROOT))).forEach(k ->
                    add(problems, "table.rename", "'" + k + "' is not a table of this connector's topics (" + knownList + ")"));
            columnRenamesRaw.keySet().forEach(k -> {
                String table = k.substring(0, Math.max(0, k.lastIndexOf('.')));
                if (!table.isEmpty() && !known.contains(table.toUpperCase(Locale.ROOT))) {
                    add(problems, "column.rename", "'" + k + "' names table '" + table
                            + "', which is not a table of this connector's topics (" + knownList + ")");
                }
            });
            Set<String> knownSchemas = knownTables.stream().filter(t -> t.schema() != null)
                    .map(t -> t.schema().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
            schemaRenamesRaw.keySet().stream().filter(k -> !knownSchemas.contains(k.toUpperCase(Locale.ROOT))).forEach(k ->
                    add(problems, "schema.rename", "'" + k + "' is not a schema of this connector's topics"));

            // Two source tables that land in the same target table.
            Map<TargetTable, List<String>> targets = new LinkedHashMap<>();
            for (SourceTable t : knownTables) {
                TargetTable target = table(t);
                String problem = Identifiers.problem(target.name());
                if (problem == null) {
                    problem = Identifiers.problem(target.schema());
                }
                if (problem != null) {
                    add(problems, "table.rename", "table " + t.qualified() + " maps to an invalid name: " + problem);
                }
                targets.computeIfAbsent(target, k -> new ArrayList<>()).add(t.qualified());
            }
            targets.forEach((target, sources) -> {
                if (sources.size() > 1) {
                    add(problems, "table.rename", String.join(" and ", sources) + " both map to table " + target);
                }
            });
        }
        return problems;
    }

    private static void tooLong(Map<String, List<String>> problems, String key, String from, String to) {
        String problem = Identifiers.problem(to);
        if (problem != null) {
            add(problems, key, "entry " + from + ":" + to + ": " + problem);
        }
    }

    private static void add(Map<String, List<String>> problems, String key, String problem) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(problem);
    }
}
