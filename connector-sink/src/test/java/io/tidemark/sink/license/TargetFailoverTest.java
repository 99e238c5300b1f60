package io.tidemark.sink.license;

import static io.tidemark.sink.license.MeteredSink.APPLIED_BYTES_SQL;
import static io.tidemark.sink.license.MeteredSink.PROJECT;
import static io.tidemark.sink.license.MeteredSink.TP;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The target fails over to an asynchronous standby that lacks the last commits: simulated by
 * putting back an earlier copy of the target table and the control tables while the sink runs
 * (the same moment for all of them, as a standby's state is). The sink must claim its partitions
 * again, deliver them again from the offsets the database now holds, and meter the replay once,
 * without calling the rolled-back usage row tampered.
 */
class TargetFailoverTest {

    /** What a standby holds: the target and the control tables a flush writes. */
    private static final String[] COPIED = {"hr.items", "tidemark.kafka_offsets", "tidemark.license_usage"};

    @RegisterExtension
    static final MeteredDatabase DB = new MeteredDatabase("failover");
    private final PostgresTestDatabase db = DB.db();
    private final MeteredSink.Topic topic = new MeteredSink.Topic();
    private final List<SinkRecord> all = new ArrayList<>();

    private void copyNow() {
        for (String table : COPIED) {
            String copy = "public.copy_" + table.replace('.', '_');
            db.execute("DROP TABLE IF EXISTS " + copy, "CREATE TABLE " + copy + " AS SELECT * FROM " + table);
        }
    }

    private void failOverToTheCopy() {
        for (String table : COPIED) {
            db.execute("DELETE FROM " + table, "INSERT INTO " + table + " SELECT * FROM public.copy_"
                    + table.replace('.', '_'));
        }
    }

    private void deliver(MeteredSink sink, List<SinkRecord> records) {
        long from = all.size();
        all.addAll(records);
        sink.deliverFollowingRewinds(all, from);
    }

    @Test
    void aFailoverThatLostTheLastCommitsIsClaimedAgainReplayedAndMeteredOnce() throws Exception {
        MeteredSink sink = DB.sink(null); // the trial allowance
        deliver(sink, topic.inserts(10, 30));
        copyNow();
        deliver(sink, topic.inserts(30, 50));
        assertThat(db.count("SELECT count(*) FROM hr.items")).isEqualTo(40);

        failOverToTheCopy();
        deliver(sink, topic.inserts(50, 70));

        assertThat(sink.blockedReason()).as("not TAMPERED: the offsets went back with the usage").isNull();
        assertThat(sink.paused).as("not FENCED: the database lost this task's claim, nobody took it").isEmpty();
        assertThat(db.rowsAsText("SELECT id FROM hr.items ORDER BY id")).hasSize(60).first().isEqualTo("10");
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(60);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = ?", PROJECT))
                .as("the replayed rows are metered again, once").isEqualTo(db.count(APPLIED_BYTES_SQL));
        assertThat(db.scalar("SELECT state FROM tidemark.license_usage WHERE project = ?", PROJECT)).isEqualTo("TRIAL");
    }

    @Test
    void aClaimWhoseEpochTheDatabaseNoLongerHasIsClaimedAgainNotFenced() {
        MeteredSink sink = DB.sink(null);
        deliver(sink, topic.inserts(10, 30));
        copyNow();
        sink.writer.close(List.of(TP)); // a rebalance gives the partition back: the claim raises its epoch
        sink.writer.open(List.of(TP));
        deliver(sink, topic.inserts(30, 50));

        failOverToTheCopy(); // the standby has the epoch before that claim
        deliver(sink, topic.inserts(50, 70));

        assertThat(sink.paused).as("claimed again, not paused as FENCED until a rebalance").isEmpty();
        assertThat(sink.blockedReason()).isNull();
        assertThat(db.rowsAsText("SELECT id FROM hr.items ORDER BY id")).hasSize(60);
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(60);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = ?", PROJECT))
                .isEqualTo(db.count(APPLIED_BYTES_SQL));
    }

    @Test
    void theUsageRowAloneWentBackIsStillTampered() {
        MeteredSink sink = DB.sink(null);
        deliver(sink, topic.inserts(10, 30));
        copyNow();
        deliver(sink, topic.inserts(30, 50));
        db.execute("DELETE FROM tidemark.license_usage",
                "INSERT INTO tidemark.license_usage SELECT * FROM public.copy_tidemark_license_usage");
        deliver(sink, topic.inserts(50, 70));
        assertThat(sink.blockedReason()).contains("an older copy of the row was put back");
    }

    @Test
    void theFateOfATransactionTheDatabaseNeverSawIsUnknownNotAnError() throws Exception {
        MeteredSink sink = DB.sink(null);
        deliver(sink, topic.inserts(10, 20));
        UsageLedger ledger = new UsageLedger(new ControlSchema("tidemark"), PROJECT, MeteredSink.CONNECTOR);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            long next = db.count("SELECT txid_current()");
            // A standby promoted behind the primary has not reached the xid the primary gave the last flush.
            UsageLedger.Locked locked = ledger.lock(c, next + 1_000_000);
            assertThat(locked.pendingCommitted()).isFalse();
            assertThat(locked.row().usedBytes()).isEqualTo(10 * 8);
            c.rollback();
        }
    }
}
