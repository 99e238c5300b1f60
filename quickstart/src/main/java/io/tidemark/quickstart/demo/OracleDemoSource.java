package io.tidemark.quickstart.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.tidemark.quickstart.QuickstartException;

/**
 * The demo source with Oracle, chosen when {@code ORACLE_HOST} is set: the demo tables in the
 * schema of {@code ORACLE_DEMO_USER} in the PDB, read by {@code TidemarkOracleConnector} (LogMiner)
 * as {@code ORACLE_USER}, a user prepared as docs/oracle.md describes. The connector's marker
 * objects have names of their own ({@code TIDEMARK_DEMO_ITERATION…}), so that dropping them for a
 * fresh run never touches a real migration's.
 */
public final class OracleDemoSource implements DemoSource {

    /** The environment variables the Oracle demo reads, with their defaults (null: required). */
    static final Map<String, String> VARIABLES = defaults();

    private static final String[] MARKER_OBJECTS = {"TABLE TIDEMARK_DEMO_ITERATION", "TABLE TIDEMARK_DEMO_ITERATION_REQUEST",
            "SEQUENCE TIDEMARK_DEMO_ITERATION_SEQ"};

    private final Map<String, String> settings;

    private OracleDemoSource(Map<String, String> settings) {
        this.settings = settings;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("ORACLE_HOST", null);
        d.put("ORACLE_PORT", "1521");
        d.put("ORACLE_DATABASE", "FREE");
        d.put("ORACLE_PDB", "FREEPDB1");
        d.put("ORACLE_USER", "c##dbzuser");
        d.put("ORACLE_PASSWORD", null);
        d.put("ORACLE_DEMO_USER", "shop");
        d.put("ORACLE_DEMO_PASSWORD", null);
        return d;
    }

    /** The Oracle demo when {@code ORACLE_HOST} is set in {@code env}, else null. */
    public static OracleDemoSource fromEnvironment(Map<String, String> env) {
        if (blank(env.get("ORACLE_HOST"))) {
            return null;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        VARIABLES.forEach((name, fallback) -> {
            String value = blank(env.get(name)) ? fallback : env.get(name);
            if (value == null) {
                missing.add(name);
            }
            settings.put(name, value);
        });
        if (!missing.isEmpty()) {
            throw new QuickstartException("ORACLE_HOST is set, so the demo source is Oracle, but " + String.join(", ", missing)
                    + " is not: set " + String.join(" and ", missing) + " (the variables and their defaults: " + VARIABLES + ")");
        }
        return new OracleDemoSource(settings);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private String pdbUrl() {
        return "jdbc:oracle:thin:@//" + settings.get("ORACLE_HOST") + ":" + settings.get("ORACLE_PORT") + "/" + settings.get("ORACLE_PDB");
    }

    @Override
    public String project() {
        return "demo-oracle";
    }

    @Override
    public DemoDialect dialect() {
        return DemoDialect.oracle(settings.get("ORACLE_DEMO_USER"));
    }

    @Override
    public String describe() {
        return pdbUrl() + " (Oracle; schema " + settings.get("ORACLE_DEMO_USER").toUpperCase(Locale.ROOT)
                + ", 4 tables, a live workload; read through LogMiner as " + settings.get("ORACLE_USER") + ")";
    }

    @Override
    public long prepare(Workload seed) throws SQLException {
        try (Connection c = connectAs("ORACLE_USER", "ORACLE_PASSWORD"); Statement st = c.createStatement()) {
            for (String object : MARKER_OBJECTS) {
                String drop = "DROP " + object.replace(" ", " " + settings.get("ORACLE_USER") + ".") + (object.startsWith("TABLE") ? " PURGE" : "");
                st.execute("BEGIN EXECUTE IMMEDIATE '" + drop + "'; EXCEPTION WHEN OTHERS THEN IF SQLCODE NOT IN (-942, -2289)"
                        + " THEN RAISE; END IF; END;");
            }
        }
        try (Connection c = connect()) {
            return DemoSource.createAndSeed(c, dialect(), seed);
        }
    }

    @Override
    public Connection connect() throws SQLException {
        return connectAs("ORACLE_DEMO_USER", "ORACLE_DEMO_PASSWORD");
    }

    private Connection connectAs(String userVariable, String passwordVariable) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.get(userVariable));
        props.setProperty("password", settings.get(passwordVariable));
        props.setProperty("oracle.net.CONNECT_TIMEOUT", "10000");
        try {
            return DriverManager.getConnection(pdbUrl(), props);
        } catch (SQLException e) {
            throw new QuickstartException("cannot log in to Oracle at " + pdbUrl() + " as " + settings.get(userVariable)
                    + " (" + userVariable + "/" + passwordVariable + "): " + e.getMessage());
        }
    }

    @Override
    public Map<String, String> workerEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            if (!name.startsWith("ORACLE_DEMO_")) {
                env.put("TIDEMARK_DEMO_" + name, value);
            }
        });
        env.put("TIDEMARK_DEMO_ORACLE_SCHEMA", settings.get("ORACLE_DEMO_USER").toUpperCase(Locale.ROOT));
        return env;
    }

    @Override
    public String cleanUp() {
        return null; // LogMiner keeps no slot
    }
}
