package io.tidemark.sink.writer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The setup the task-level sink tests share, as one JUnit extension: a PostgreSQL database per test
 * class, the target ({@code hr}) and control ({@code tidemark}) schemas dropped before each test,
 * every task a test started stopped after it, and the reads of tables, table states and iterations
 * these tests make. Register it as a static field with {@code @RegisterExtension}.
 */
final class SinkTestDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String prefix;
    private final List<TestTask> tasks = new ArrayList<>();
    private PostgresTestDatabase db;

    SinkTestDatabase(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = PostgresTestDatabase.create(prefix);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        db.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        tasks.forEach(TestTask::stop);
        tasks.clear();
    }

    PostgresTestDatabase db() {
        return db;
    }

    /** The task, stopped after the test. */
    TestTask track(TestTask task) {
        tasks.add(task);
        return task;
    }

    /** Stops the task now (Connect stopped it), so that it is not stopped again after the test. */
    void stop(TestTask task) {
        task.stop();
        tasks.remove(task);
    }

    /** {@code id, name} of every row of {@code hr.<table>}, in key order. */
    List<String> rows(String table) {
        return db.rowsAsText("SELECT id, name FROM hr." + table + " ORDER BY id");
    }

    /** The table's status in the control schema. */
    String status(String table) {
        return (String) db.scalar("SELECT status FROM tidemark.table_state WHERE source_table = ?", table);
    }

    boolean applied(long iteration) {
        return "APPLIED".equals(db.scalar("SELECT status FROM tidemark.iteration WHERE iteration = ?", iteration));
    }
}
