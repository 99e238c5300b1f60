package io.tidemark.control.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidemark.control.actions.Progress;
import io.tidemark.control.api.Json;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.control.project.Project;

/**
 * Repairs through the pipeline: the source's differing keys are read again by Debezium's incremental
 * snapshot, asked with an {@code execute-snapshot} signal whose {@code additional-conditions} name
 * those keys, in the signal table the source connector names ({@code signal.data.collection}). The
 * rows come into the same topics, ordered with the change stream, and the sink applies them under the
 * table's consistency mode. Rows only the target has cannot be re-read: correction SQL (DELETEs) is
 * written to a file beside the project, never run.
 */
public final class Repair {

    static final String SIGNAL_KEY = "signal.data.collection";

    private final String project;
    private final java.util.Map<String, String> sourceConfig;
    private final DatabaseSettings source;
    private final Path directory;

    /**
     * @param sourceConfig the source connector's configuration (its {@code signal.data.collection})
     * @param directory    where the correction SQL is written
     */
    public Repair(String project, java.util.Map<String, String> sourceConfig, DatabaseSettings source, Path directory) {
        this.project = project;
        this.sourceConfig = sourceConfig;
        this.source = source;
        this.directory = directory;
    }

    /** The project's own: its source connector file's settings, its source database, its directory. */
    public static Repair of(Project p) {
        Path file = p.source().file();
        return new Repair(p.name(), p.source().config(), p.sourceDatabase(), file == null
                ? Path.of(System.getProperty("java.io.tmpdir")) : file.toAbsolutePath().getParent());
    }

    /** Asks for the re-reads and writes the corrections; returns what it did, in a line. */
    public String repair(Verifier.Result result, Progress progress) throws SQLException {
        String signalTable = sourceConfig.get(SIGNAL_KEY);
        List<String> signals = new ArrayList<>();
        List<String> corrections = new ArrayList<>();
        int reread = 0;
        for (TableResult t : result.tables()) {
            List<Difference> fromSource = t.differences().stream().filter(d -> !"EXTRA".equals(d.kind())
                    && !"IN_FLIGHT".equals(d.verdict())).toList();
            if (!fromSource.isEmpty()) {
                signals.add(signal(t.table(), condition(t.key(), fromSource)));
                reread += fromSource.size();
            }
            t.differences().stream().filter(d -> "EXTRA".equals(d.kind())).forEach(d -> corrections.add("DELETE FROM "
                    + Catalogs.qualified(t.targetTable(), false) + " WHERE " + condition(t.key(), List.of(d)) + ";"));
        }
        List<String> said = new ArrayList<>();
        if (!signals.isEmpty()) {
            if (signalTable == null) {
                said.add(reread + " keys need a re-read, but the source connector has no " + SIGNAL_KEY
                        + " (docs/verification.md says how to add Debezium's signal table)");
            } else {
                try (Connection c = source.connect();
                     PreparedStatement ps = c.prepareStatement(signalInsert(signalTable))) {
                    for (String data : signals) {
                        ps.setString(1, "tidemark-verify-" + result.run() + "-" + UUID.randomUUID());
                        ps.setString(2, data);
                        ps.executeUpdate();
                        progress.say("repair: asked the source to re-read " + data);
                    }
                }
                said.add(reread + " keys re-read from the source through " + signalTable);
            }
        }
        if (!corrections.isEmpty()) {
            Path file = correctionFile(result.run());
            try {
                Files.writeString(file, "-- Rows only the target has (verification run " + result.run()
                        + "): review, then run by hand if they must go.\n" + String.join("\n", corrections) + "\n",
                        StandardCharsets.UTF_8);
                said.add(corrections.size() + " rows only the target has: correction SQL written to " + file
                        + " (not run)");
            } catch (IOException e) {
                said.add(corrections.size() + " rows only the target has; the correction SQL could not be written: "
                        + e.getMessage());
            }
        }
        String line = said.isEmpty() ? "nothing to repair" : String.join("; ", said);
        progress.say("repair: " + line);
        return line;
    }

    static String signalInsert(String signalTable) {
        // Oracle's signal.data.collection is database.schema.table (the PDB first); the insert runs in that database.
        String[] parts = signalTable.split("\\.");
        String table = parts.length > 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : signalTable;
        return "INSERT INTO " + table + " (id, type, data) VALUES (?, 'execute-snapshot', ?)";
    }

    /** Debezium's incremental snapshot of one table, limited to the given keys. */
    static String signal(String table, String condition) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.putArray("data-collections").add(table);
        data.put("type", "incremental");
        ArrayNode conditions = data.putArray("additional-conditions");
        conditions.addObject().put("data-collection", table).put("filter", condition);
        return data.toString();
    }

    /** {@code (k1 = 'a' AND k2 = 'b') OR …}: literals the database casts to the key's type. */
    static String condition(List<String> key, List<Difference> diffs) {
        List<String> ors = new ArrayList<>();
        for (Difference d : diffs) {
            List<String> and = new ArrayList<>();
            for (int i = 0; i < key.size(); i++) {
                and.add(SideSql.POSTGRES.quote(key.get(i)) + " = '" + d.key().get(i).replace("'", "''") + "'");
            }
            ors.add("(" + String.join(" AND ", and) + ")");
        }
        return String.join(" OR ", ors);
    }

    private Path correctionFile(long run) {
        return directory.resolve(project + "-verify-" + run + "-corrections.sql");
    }
}
