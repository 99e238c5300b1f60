package io.tidemark.control.actions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.project.ConnectorFile;
import io.tidemark.control.store.ControlRows;
import io.tidemark.sink.SinkPrecheck;
import io.tidemark.sink.naming.SourceTable;

/**
 * What must hold before a project starts, one line per check: Connect answers and has both plugins,
 * both configurations pass Connect's validation (which runs Debezium's checks of the source database),
 * the target takes the sink's privileges, and each target table is checked as the sink checks it.
 */
public final class Precheck {

    /** @param ok false: the check failed, and {@code detail} says what to do */
    public record Check(String name, boolean ok, String detail) {
    }

    public record Result(String project, boolean ok, List<Check> checks) {
    }

    private final ProjectServices p;

    public Precheck(ProjectServices p) {
        this.p = p;
    }

    public Result run() {
        List<Check> checks = new ArrayList<>();
        boolean connectUp = connect(checks);
        if (connectUp) {
            plugins(checks);
            validate(checks, "source", p.project().source());
            validate(checks, "sink", p.project().sink());
        }
        target(checks);
        source(checks);
        return new Result(p.project().name(), checks.stream().allMatch(Check::ok), checks);
    }

    private boolean connect(List<Check> checks) {
        try {
            checks.add(new Check("connect", true, "Kafka Connect " + p.connect().version() + " answers"));
            return true;
        } catch (ControlException e) {
            checks.add(new Check("connect", false, e.getMessage()));
            return false;
        }
    }

    private void plugins(List<Check> checks) {
        List<String> installed = p.connect().connectorPlugins();
        for (ConnectorFile c : List.of(p.project().source(), p.project().sink())) {
            boolean there = installed.contains(c.connectorClass());
            checks.add(new Check("plugin " + c.pluginName(), there, there ? c.connectorClass() + " is installed"
                    : c.connectorClass() + " is not on the cluster's plugin.path: unzip its component archive into a "
                    + "plugin.path directory of every worker and restart them"));
        }
    }

    private void validate(List<Check> checks, String role, ConnectorFile c) {
        Map<String, String> config = new LinkedHashMap<>(c.config());
        config.putIfAbsent("name", c.name());
        JsonNode answer;
        try {
            answer = p.connect().validate(c.pluginName(), config);
        } catch (ControlException e) {
            checks.add(new Check(role + " config", false, e.getMessage()));
            return;
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode entry : answer.path("configs")) {
            JsonNode value = entry.path("value");
            for (JsonNode error : value.path("errors")) {
                errors.add(value.path("name").asText() + ": " + error.asText());
            }
        }
        checks.add(new Check(role + " config", errors.isEmpty(), errors.isEmpty()
                ? c.file().getFileName() + " passes " + c.pluginName() + "'s validation"
                : String.join("; ", errors) + " (fix " + c.file().getFileName() + ")"));
    }

    private void target(List<Check> checks) {
        Connection c;
        try {
            c = p.target();
        } catch (ControlException e) {
            checks.add(new Check("target database", false, e.getMessage()));
            return;
        }
        try (c) {
            String schema = p.control().schemaName();
            boolean exists = p.control().exists(c);
            boolean createOnDb;
            boolean schemaOk = true;
            try (PreparedStatement ps = c.prepareStatement("SELECT has_database_privilege(current_database(), 'CREATE'),"
                    + " current_user, current_database(), (SELECT has_schema_privilege(n.oid, 'USAGE')"
                    + " AND has_schema_privilege(n.oid, 'CREATE') FROM pg_namespace n WHERE n.nspname = ?)")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    createOnDb = rs.getBoolean(1);
                    String user = rs.getString(2);
                    String db = rs.getString(3);
                    if (exists) {
                        schemaOk = rs.getBoolean(4);
                        checks.add(new Check("target database", schemaOk, schemaOk
                                ? db + " reached as " + user + "; control schema " + schema + " exists"
                                : user + " lacks USAGE or CREATE on control schema " + schema + ": GRANT USAGE, CREATE ON "
                                + "SCHEMA " + schema + " TO " + user));
                    } else {
                        checks.add(new Check("target database", createOnDb, createOnDb
                                ? db + " reached as " + user + "; the sink creates control schema " + schema + " on start"
                                : user + " may not create control schema " + schema + ": GRANT CREATE ON DATABASE " + db
                                + " TO " + user + " (or create the schema and grant it USAGE, CREATE)"));
                    }
                }
            }
            tables(c, exists, checks);
        } catch (SQLException e) {
            checks.add(new Check("target database", false, "checking the target failed: " + e.getMessage().strip()));
        }
    }

    /** The tables the sink's configuration names, and those the sink knows already. */
    private void tables(Connection c, boolean controlExists, List<Check> checks) throws SQLException {
        Map<String, ControlRows.TableRow> known = new LinkedHashMap<>();
        if (controlExists) {
            p.control().tables(c).forEach(t -> known.put(t.sourceTable(), t));
        }
        Set<String> sources = new LinkedHashSet<>();
        String topics = p.project().sink().get("topics", "");
        for (String topic : topics.split(",")) {
            if (!topic.isBlank()) {
                sources.add(SourceTable.fromTopic(topic.trim()).qualified());
            }
        }
        sources.addAll(known.keySet());
        for (SinkPrecheck.TableCheck t : p.project().sinkPrecheck().check(c, sources)) {
            ControlRows.TableRow row = known.get(t.sourceTable());
            if (row != null && row.status() != null && row.status().startsWith("ERROR")) {
                checks.add(new Check("table " + t.sourceTable(), false, t.targetTable() + ": the sink stopped it, "
                        + row.status() + ": " + row.reason() + " (fix the cause, then: tidemark table start)"));
            } else {
                checks.add(new Check("table " + t.sourceTable(), t.ok(), t.targetTable() + " " + t.detail()));
            }
        }
    }

    private void source(List<Check> checks) {
        try (Connection c = p.source()) {
            checks.add(new Check("source database", true, "reached (" + p.project().sourceDatabase()
                    + "); soft stop asks for the final marker in " + p.project().requestTable().qualified()));
        } catch (SQLException e) {
            checks.add(new Check("source database", false, "the control API cannot reach "
                    + p.project().sourceDatabase() + " (" + io.tidemark.control.project.DatabasePool.describe(e) + "): soft stop needs it to ask for "
                    + "the final marker; set sourceDatabase in the project descriptor"));
        }
    }
}
