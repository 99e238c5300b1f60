package io.tidemark.sink.control;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.naming.Identifiers;

/**
 * Tidemark's own tables in the target database, versioned: created on first start and upgraded
 * step by step by whichever task starts first (an advisory lock keeps the others waiting).
 * A migration is never edited once released; a change is a new migration at the end.
 */
public final class ControlSchema {

    private static final Logger LOG = LoggerFactory.getLogger(ControlSchema.class);

    /** One step of the schema's history. {@code %s} stands for the quoted schema name. */
    private record Migration(int version, String description, String sql) {
    }

    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "offsets, table states, iteration ledger, error rows", """
                    CREATE TABLE %1$s.project (
                        name         text PRIMARY KEY,
                        created_at   timestamptz NOT NULL DEFAULT now()
                    );
                    CREATE TABLE %1$s.kafka_offsets (
                        connector        text   NOT NULL,
                        topic            text   NOT NULL,
                        kafka_partition  int    NOT NULL,
                        next_offset      bigint NOT NULL,
                        updated_at       timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (connector, topic, kafka_partition)
                    );
                    COMMENT ON TABLE %1$s.kafka_offsets IS
                        'Next Kafka offset to apply per sink connector and partition, committed with the rows';
                    CREATE TABLE %1$s.table_state (
                        project        text NOT NULL,
                        source_table   text NOT NULL,
                        target_table   text NOT NULL,
                        status         text NOT NULL,
                        desired_state  text,
                        reason         text,
                        updated_at     timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (project, source_table)
                    );
                    CREATE TABLE %1$s.iteration_table (
                        project          text   NOT NULL,
                        iteration        bigint NOT NULL,
                        source_table     text   NOT NULL,
                        topic            text   NOT NULL,
                        kafka_partition  int    NOT NULL,
                        kafka_offset     bigint NOT NULL,
                        source_position  text,
                        final            boolean NOT NULL DEFAULT false,
                        marker_created_at timestamptz,
                        closed_at        timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (project, iteration, topic, kafka_partition)
                    );
                    COMMENT ON TABLE %1$s.iteration_table IS
                        'Iteration ledger: marker N seen (and everything before it applied) per table partition';
                    CREATE TABLE %1$s.error_rows (
                        id               bigserial PRIMARY KEY,
                        project          text   NOT NULL,
                        connector        text   NOT NULL,
                        source_table     text,
                        target_table     text,
                        topic            text   NOT NULL,
                        kafka_partition  int    NOT NULL,
                        kafka_offset     bigint NOT NULL,
                        record_key       text,
                        reason           text   NOT NULL,
                        payload          text,
                        created_at       timestamptz NOT NULL DEFAULT now()
                    );
                    CREATE INDEX ON %1$s.error_rows (project, source_table);
                    """),
            new Migration(2, "license usage and installed license keys", """
                    CREATE TABLE %1$s.license_usage (
                        project      text PRIMARY KEY,
                        used_bytes   bigint NOT NULL DEFAULT 0,
                        max_bytes    bigint,
                        key_id       text,
                        expires_at   timestamptz,
                        state        text NOT NULL DEFAULT 'OK',
                        reason       text,
                        updated_at   timestamptz NOT NULL DEFAULT now()
                    );
                    COMMENT ON TABLE %1$s.license_usage IS
                        'Bytes applied per project, added in the same transaction as the rows they measure';
                    CREATE TABLE %1$s.license_key (
                        id            bigserial PRIMARY KEY,
                        project       text NOT NULL,
                        license_key   text NOT NULL,
                        installed_at  timestamptz NOT NULL DEFAULT now(),
                        installed_by  text NOT NULL DEFAULT current_user
                    );
                    COMMENT ON TABLE %1$s.license_key IS
                        'License keys installed without a connector restart; the sink picks the newest valid one';
                    """),
            new Migration(3, "partition ownership (fencing) and per-partition status", """
                    ALTER TABLE %1$s.kafka_offsets
                        ALTER COLUMN next_offset DROP NOT NULL,
                        ADD COLUMN owner_epoch bigint NOT NULL DEFAULT 0,
                        ADD COLUMN owner text,
                        ADD COLUMN claimed_at timestamptz;
                    COMMENT ON COLUMN %1$s.kafka_offsets.owner_epoch IS
                        'Raised by each task that takes the partition over; a flush commits only under the epoch it claimed';
                    COMMENT ON COLUMN %1$s.kafka_offsets.next_offset IS
                        'Next offset to apply; null while the partition is claimed but nothing of it was applied';
                    CREATE TABLE %1$s.partition_state (
                        project          text NOT NULL,
                        source_table     text NOT NULL,
                        topic            text NOT NULL,
                        kafka_partition  int  NOT NULL,
                        status           text NOT NULL,
                        reason           text,
                        connector        text NOT NULL,
                        task             text,
                        updated_at       timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (project, source_table, topic, kafka_partition)
                    );
                    COMMENT ON TABLE %1$s.partition_state IS
                        'Status per table partition, written by the task that applies it; table_state rolls them up';
                    """),
            new Migration(4, "license usage sealed against edits, with the latest time the sink has seen", """
                    ALTER TABLE %1$s.license_usage
                        ADD COLUMN IF NOT EXISTS created_at   timestamptz,
                        ADD COLUMN IF NOT EXISTS last_seen_at timestamptz,
                        ADD COLUMN IF NOT EXISTS seal         text;
                    COMMENT ON COLUMN %1$s.license_usage.seal IS
                        'HMAC-SHA256 over project, used_bytes, created_at and last_seen_at, written by the sink: a row edited outside it is refused';
                    COMMENT ON COLUMN %1$s.license_usage.last_seen_at IS
                        'The latest time the sink has seen on the worker''s and PostgreSQL''s clocks: turning a clock back does not extend a key';
                    """),
            new Migration(5, "consistency modes, desired states and the iteration ledger", """
                    ALTER TABLE %1$s.iteration_table RENAME TO iteration_partition;
                    ALTER TABLE %1$s.iteration_partition ADD COLUMN partition_count int;
                    COMMENT ON TABLE %1$s.iteration_partition IS
                        'Marker N seen in this partition at this offset (everything before it applied or staged)';
                    ALTER TABLE %1$s.project
                        ADD COLUMN desired_state  text NOT NULL DEFAULT 'RUNNING',
                        ADD COLUMN accepted_state text NOT NULL DEFAULT 'RUNNING',
                        ADD COLUMN refusal        text,
                        ADD COLUMN refused_at     timestamptz,
                        ADD COLUMN state_changed_at timestamptz;
                    COMMENT ON COLUMN %1$s.project.desired_state IS
                        'Written by the control API or SQL: RUNNING, PAUSED, SOFT_STOP or STOPPED; the sink accepts or refuses it';
                    ALTER TABLE %1$s.table_state
                        ADD COLUMN topic          text,
                        ADD COLUMN mode           text NOT NULL DEFAULT 'PARTIAL',
                        ADD COLUMN desired_mode   text,
                        ADD COLUMN accepted_state text,
                        ADD COLUMN refusal        text,
                        ADD COLUMN refused_at     timestamptz,
                        ADD COLUMN start_count    bigint NOT NULL DEFAULT 0,
                        ADD COLUMN target_claimed boolean NOT NULL DEFAULT true,
                        ADD COLUMN iteration      bigint;
                    COMMENT ON COLUMN %1$s.table_state.desired_state IS
                        'Written by the control API or SQL: RUNNING (start), PAUSED or STOPPED; the sink accepts or refuses it';
                    ALTER TABLE %1$s.table_state ALTER COLUMN target_claimed SET DEFAULT false;
                    COMMENT ON COLUMN %1$s.table_state.target_claimed IS
                        'The source table has prepared its target table: no other source table of the project may map there';
                    COMMENT ON COLUMN %1$s.table_state.desired_mode IS
                        'Written by the control API or SQL: PARTIAL or FULL; taken only while the table is STOPPED';
                    CREATE TABLE %1$s.iteration (
                        project            text    NOT NULL,
                        iteration          bigint  NOT NULL,
                        source_position    text,
                        marker_created_at  timestamptz,
                        final              boolean NOT NULL DEFAULT false,
                        first_seen_at      timestamptz,
                        applied_at         timestamptz,
                        upserted           bigint  NOT NULL DEFAULT 0,
                        deleted            bigint  NOT NULL DEFAULT 0,
                        bytes              bigint  NOT NULL DEFAULT 0,
                        duration_ms        bigint,
                        apply_ms           bigint,
                        tables_completed   int     NOT NULL DEFAULT 0,
                        tables_total       int,
                        status             text    NOT NULL DEFAULT 'OPEN',
                        waiting_for        text,
                        full_applied_at    timestamptz,
                        PRIMARY KEY (project, iteration)
                    );
                    COMMENT ON TABLE %1$s.iteration IS
                        'The iteration ledger: changes up to marker N, when they were complete in the target, and their counts';
                    CREATE TABLE %1$s.iteration_table (
                        project       text   NOT NULL,
                        iteration     bigint NOT NULL,
                        source_table  text   NOT NULL,
                        mode          text   NOT NULL,
                        upserted      bigint NOT NULL DEFAULT 0,
                        deleted       bigint NOT NULL DEFAULT 0,
                        bytes         bigint NOT NULL DEFAULT 0,
                        completed_at  timestamptz,
                        PRIMARY KEY (project, iteration, source_table)
                    );
                    CREATE TABLE %1$s.stage_table (
                        project       text NOT NULL,
                        source_table  text NOT NULL,
                        target_table  text NOT NULL,
                        stage_name    text NOT NULL UNIQUE,
                        PRIMARY KEY (project, source_table)
                    );
                    COMMENT ON TABLE %1$s.stage_table IS
                        'The durable staging table of each FULL table: changes of an iteration wait there until it is applied';
                    CREATE TABLE %1$s.action_log (
                        id            bigserial PRIMARY KEY,
                        project       text NOT NULL,
                        source_table  text,
                        action        text NOT NULL,
                        outcome       text NOT NULL,
                        reason        text,
                        at            timestamptz NOT NULL DEFAULT now()
                    );
                    CREATE INDEX ON %1$s.action_log (project, at);
                    """),
            // The iteration coordinator asks each table's first marker at every poll while an iteration is
            // open; without this index that is a scan of the project's whole ledger (partitions x iterations).
            new Migration(6, "the iteration ledger's partitions by table, for each table's first marker", """
                    CREATE INDEX iteration_partition_by_table ON %1$s.iteration_partition (project, source_table, iteration);
                    """),
            // Every task asks for the iterations still open at every poll; a staged truncate waits in the stage's row.
            new Migration(7, "open iterations by project; a truncate staged for a FULL table's iteration", """
                    CREATE INDEX iteration_open ON %1$s.iteration (project, iteration) WHERE status <> 'APPLIED';
                    ALTER TABLE %1$s.stage_table ADD COLUMN truncate_iteration bigint;
                    COMMENT ON COLUMN %1$s.stage_table.truncate_iteration IS
                        'The source table was truncated in this iteration: the target is emptied when it is applied';
                    """),
            // The initial load's progress: a table's counts in an open iteration grow with every flush, and the
            // flush that adds them also keeps an earlier reading, so the pace costs no round trip of its own.
            new Migration(8, "the pace of a table's changes within an iteration, flush by flush", """
                    ALTER TABLE %1$s.iteration_table
                        ADD COLUMN flushed_at    timestamptz,
                        ADD COLUMN pace_at       timestamptz,
                        ADD COLUMN pace_upserted bigint;
                    COMMENT ON COLUMN %1$s.iteration_table.flushed_at IS
                        'When a flush last added changes of this table to this iteration';
                    COMMENT ON COLUMN %1$s.iteration_table.pace_at IS
                        'An earlier reading of upserted (pace_upserted) and its time: the pace is the rows since over the time since';
                    """),
            new Migration(9, "the bulk initial load, table by table", """
                    CREATE TABLE %1$s.bulk_load (
                        project          text   NOT NULL,
                        source_table     text   NOT NULL,
                        target_table     text   NOT NULL,
                        state            text   NOT NULL CHECK (state IN ('LOADING', 'LOADED', 'FAILED')),
                        rows_estimated   bigint,
                        rows_loaded      bigint NOT NULL DEFAULT 0,
                        source_position  text,
                        started_at       timestamptz NOT NULL DEFAULT now(),
                        finished_at      timestamptz,
                        error            text,
                        PRIMARY KEY (project, source_table)
                    );
                    COMMENT ON TABLE %1$s.bulk_load IS
                        'Tables the bulk load created and filled: a failed load empties only these before it loads again';
                    """));

    private final String schema;

    public ControlSchema(String schema) {
        this.schema = schema;
    }

    public String schema() {
        return schema;
    }

    /** {@code "schema".table}. */
    public String table(String name) {
        return Identifiers.quote(schema) + "." + name;
    }

    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /** The version the schema is at (its {@code schema_version} table must exist). */
    public int version(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + table("schema_version"))) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Creates the schema or brings it to the latest version. Idempotent; safe from many tasks at once. */
    public void ensure(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        String quoted = Identifiers.quote(schema);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext(" + Identifiers.literal("tidemark:control:" + schema) + "))");
            st.execute("CREATE SCHEMA IF NOT EXISTS " + quoted);
            st.execute("CREATE TABLE IF NOT EXISTS " + quoted + ".schema_version ("
                    + "version int PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            int current = version(connection);
            if (current > latestVersion()) {
                throw new SQLException("control schema " + schema + " is at version " + current
                        + ", newer than this sink knows (" + latestVersion() + "): upgrade the sink plugin");
            }
            for (Migration m : MIGRATIONS) {
                if (m.version() > current) {
                    st.execute(String.format(m.sql(), quoted));
                    st.execute("INSERT INTO " + quoted + ".schema_version (version, description) VALUES ("
                            + m.version() + ", " + Identifiers.literal(m.description()) + ")");
                    LOG.info("Control schema {} upgraded to version {}: {}", schema, m.version(), m.description());
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
