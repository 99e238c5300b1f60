package io.tidemark.quickstart.progress;

import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * A database of the test class's own with the control schema {@code tidemark} the sink itself
 * creates ({@link ControlSchema}), for tests that write ledger rows as the sink would and read them
 * as the quickstart does. Dropped after the class.
 */
final class ControlSchemaDatabase implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private PostgresTestDatabase db;

    ControlSchemaDatabase(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        db = PostgresTestDatabase.create(name);
        try (Connection c = db.connect()) {
            new ControlSchema("tidemark").ensure(c);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        db.close();
    }

    Connection connect() throws SQLException {
        return db.connect();
    }

    void execute(String... sql) {
        db.execute(sql);
    }
}
