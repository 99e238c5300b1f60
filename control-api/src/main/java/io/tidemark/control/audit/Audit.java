package io.tidemark.control.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.control.ProjectServices;

/**
 * Records every action: a line in the log (logger {@code io.tidemark.control.audit}), always, and a
 * row in the project's control schema while its target answers. A row that cannot be written is
 * said in the log, with the entry itself: the log line is then the record.
 */
public final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final Map<String, ProjectServices> projects;

    public Audit(Map<String, ProjectServices> projects) {
        this.projects = projects;
    }

    public void record(AuditEntry e) {
        LOG.info("{} {} {} by {} ({}): {} {}{}", e.outcome(), e.method(), e.path(), e.caller() == null ? "(no token)"
                : e.caller(), e.scope(), e.status(), e.message() == null ? "" : e.message(), e.request() == null ? ""
                : " request " + e.request());
        ProjectServices p = e.project() == null ? null : projects.get(e.project());
        if (p == null) {
            return;
        }
        try (Connection c = p.target()) {
            p.audit().insert(c, e);
        } catch (SQLException | RuntimeException ex) {
            LOG.warn("the audit row of {} {} by {} was not written to {}: {} (this log line is its record)", e.method(),
                    e.path(), e.caller(), p.audit().table(), ex instanceof SQLException s ? "SQLState " + s.getSQLState()
                            : ex.getMessage());
        }
    }
}
