package io.tidemark.control.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.control.ProjectServices;

/**
 * Records every action: a line in the log (logger {@code io.tidemark.control.audit}), at once, and a
 * row in the project's control schema while its target answers, written by a thread of its own so
 * that no request waits for it. A row that cannot be written is said in the log, with the entry
 * itself: the log line is then the record.
 */
public final class Audit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final Map<String, ProjectServices> projects;
    private final ThreadPoolExecutor writer;

    public Audit(Map<String, ProjectServices> projects) {
        this.projects = projects;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "tidemark-api-audit");
            t.setDaemon(true);
            return t;
        }, (r, executor) -> LOG.warn("an audit row was not written: 1000 wait for the target already (its log line "
                + "above is the record)"));
    }

    public void record(AuditEntry e) {
        LOG.info("{} {} {} by {} ({}): {} {}{}", e.outcome(), e.method(), e.path(), e.caller() == null ? "(no token)"
                : e.caller(), e.scope(), e.status(), e.message() == null ? "" : e.message(), e.request() == null ? ""
                : " request " + e.request());
        ProjectServices p = e.project() == null ? null : projects.get(e.project());
        if (p != null) {
            writer.execute(() -> insert(p, e));
        }
    }

    private static void insert(ProjectServices p, AuditEntry e) {
        try (Connection c = p.target()) {
            if (!p.audit().insert(c, e)) {
                LOG.info("the audit of {} {} by {} is in this log only: control schema {} does not exist (before the "
                        + "sink's first start, or after a delete)", e.method(), e.path(), e.caller(),
                        p.control().schemaName());
            }
        } catch (SQLException | RuntimeException ex) {
            LOG.warn("the audit row of {} {} by {} was not written to {}: {} (this log line is its record)", e.method(),
                    e.path(), e.caller(), p.audit().table(), ex instanceof SQLException s ? "SQLState " + s.getSQLState()
                            : ex.getMessage());
        }
    }

    /** Writes what is queued (a few seconds at most), then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
