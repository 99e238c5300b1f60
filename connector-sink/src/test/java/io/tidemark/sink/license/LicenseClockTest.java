package io.tidemark.sink.license;

import static io.tidemark.sink.license.MeteredSink.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * Expiry through the real write path with the worker's clock set by the test: the stated skew is
 * tolerated, and no clock turned back makes an expired key valid again, while one clock set wrong
 * does not cut a key short for good.
 */
class LicenseClockTest {

    private static final String USAGE_TABLE = new ControlSchema("tidemark").table("license_usage");
    @RegisterExtension
    static final MeteredDatabase DB = new MeteredDatabase("clock");
    private final PostgresTestDatabase db = DB.db();
    private final MeteredSink.Topic topic = new MeteredSink.Topic();
    private final MeteredSink.TestClock clock = new MeteredSink.TestClock();
    private MeteredSink sink;

    /** A key for a day, up to {@code expires}. */
    private static String keyUntil(Instant expires) {
        return TestLicenses.issue(PROJECT, "oracle", 1 << 20, expires.minus(Duration.ofDays(1)), expires);
    }

    private Instant lastSeen() {
        return ((Timestamp) db.scalar("SELECT last_seen_at FROM tidemark.license_usage")).toInstant();
    }

    private long applied() {
        return db.count("SELECT coalesce(max(next_offset), 0) FROM tidemark.kafka_offsets");
    }

    @Test
    void aKeyExpiredLessThanTheSkewAgoStillApplies() {
        sink = DB.sink(keyUntil(Instant.now().minus(Duration.ofMinutes(2))), "tidemark", clock);
        sink.deliver(topic.inserts(10, 20));
        assertThat(sink.blockedReason()).isNull();
        assertThat(applied()).isEqualTo(10);
    }

    @Test
    void aKeyExpiredMoreThanTheSkewAgoStops() {
        sink = DB.sink(keyUntil(Instant.now().minus(Duration.ofMinutes(6))), "tidemark", clock);
        sink.deliver(topic.inserts(10, 20));
        assertThat(sink.blockedReason()).contains("is not valid at").contains("with 5 minutes of clock skew allowed");
        assertThat(applied()).isZero();
    }

    @Test
    void theWorkersClockTurnedBackAloneDoesNotMakeAnExpiredKeyValid() {
        Instant expired = Instant.now().minus(Duration.ofHours(1));
        clock.shift(Duration.ofHours(-2)); // the worker believes it is an hour before the key's expiry
        sink = DB.sink(keyUntil(expired), "tidemark", clock);
        sink.deliver(topic.inserts(10, 20));
        assertThat(sink.blockedReason()).contains("the license key test-").contains("is not valid at");
        assertThat(db.scalar("SELECT state FROM tidemark.license_usage")).isEqualTo("EXPIRED");
        assertThat(applied()).isZero();
        assertThat(lastSeen()).as("the earlier clock is what is recorded while they disagree")
                .isBefore(expired);
    }

    @Test
    void bothClocksTurnedBackCannotGoBelowTheLatestTimeTheSinkHasSeen() {
        // The sink saw "two days from now" before both clocks were turned back: the sealed row says so.
        Instant seen = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
        new MeteredSink(db, null).close();
        db.execute(UsageRow.sealed(PROJECT, 0, Instant.now(), seen).restoreSql(USAGE_TABLE));

        sink = DB.sink(keyUntil(Instant.now().plus(Duration.ofDays(1))), "tidemark", clock);
        var first = topic.inserts(10, 20);
        sink.deliver(first);
        assertThat(sink.blockedReason()).contains("is not valid at " + seen);
        assertThat(applied()).isZero();
        assertThat(lastSeen()).isEqualTo(seen);

        // A key valid beyond that time applies; the time seen never goes back.
        db.execute("INSERT INTO tidemark.license_key (project, license_key) VALUES ('" + PROJECT + "', '"
                + keyUntil(Instant.now().plus(Duration.ofDays(3))) + "')");
        assertThat(sink.awaitResumed(Duration.ofSeconds(5))).isTrue();
        sink.deliver(first);
        assertThat(applied()).isEqualTo(10);
        assertThat(lastSeen()).isEqualTo(seen);
    }

    @Test
    void aWorkerClockSetADayAheadStopsTheKeyOnlyUntilItIsPutRight() {
        sink = DB.sink(keyUntil(Instant.now().plus(Duration.ofHours(1))), "tidemark", clock);
        sink.deliver(topic.inserts(10, 20));
        assertThat(applied()).isEqualTo(10);

        clock.shift(Duration.ofDays(1));
        var next = topic.inserts(20, 30);
        sink.deliver(next);
        assertThat(sink.blockedReason()).contains("is not valid at");
        assertThat(lastSeen()).as("not recorded: PostgreSQL's clock does not agree").isBefore(Instant.now().plusSeconds(60));

        clock.shift(Duration.ZERO);
        assertThat(sink.awaitResumed(Duration.ofSeconds(5))).isTrue();
        sink.deliver(next);
        assertThat(applied()).isEqualTo(20);
    }

    @Test
    void everyMeteredFlushRecordsTheTimeSeen() {
        sink = DB.sink(TestLicenses.generous(PROJECT), "tidemark", clock);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        sink.deliver(topic.inserts(10, 20));
        assertThat(lastSeen()).isBetween(before, Instant.now().plusSeconds(1));
    }
}
