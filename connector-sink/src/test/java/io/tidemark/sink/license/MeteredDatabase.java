package io.tidemark.sink.license;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * A test class's database for metered sinks: created before its tests, emptied of the target and
 * control schemas before each, dropped after them; the sinks a test opens are stopped after it.
 * Register it as {@code @RegisterExtension static final MeteredDatabase DB = new MeteredDatabase("x");}.
 */
final class MeteredDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The schemas tests write: the target's, the control schema and a second control schema. */
    private static final String[] SCHEMAS = {"hr", "tidemark", "elsewhere"};

    private final String name;
    private final List<MeteredSink> open = new ArrayList<>();
    private PostgresTestDatabase db;

    MeteredDatabase(String name) {
        this.name = name;
    }

    PostgresTestDatabase db() {
        return db;
    }

    /** A sink in control schema {@code tidemark}, on the machine's clock; stopped after the test. */
    MeteredSink sink(String configKey) {
        return sink(configKey, "tidemark", Clock.systemUTC());
    }

    MeteredSink sink(String configKey, String controlSchema, Clock clock) {
        MeteredSink sink = new MeteredSink(db, configKey, controlSchema, clock);
        open.add(sink);
        return sink;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = PostgresTestDatabase.create(name);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (String schema : SCHEMAS) {
            db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(MeteredSink::close); // closing twice is harmless: a test may have stopped one itself
        open.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (db != null) {
            db.close();
        }
    }
}
