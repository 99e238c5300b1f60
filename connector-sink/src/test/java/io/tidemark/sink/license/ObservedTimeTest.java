package io.tidemark.sink.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The time keys are judged by, and the time recorded as seen, without a database. */
class ObservedTimeTest {

    private static final Instant T = Instant.parse("2027-03-01T12:00:00Z");

    private static ObservedTime workerAt(Instant worker) {
        return new ObservedTime(Clock.fixed(worker, ZoneOffset.UTC));
    }

    @Test
    void clocksThatAgreeRecordTheLaterOfThem() {
        ObservedTime time = workerAt(T);
        time.observe(T.plusSeconds(90), null);
        assertThat(time.seen()).isEqualTo(T.plusSeconds(90));
        assertThat(time.now()).isEqualTo(T.plusSeconds(90));
        assertThat(time.disagreement()).isNull();
    }

    @Test
    void clocksThatDisagreeAreJudgedByTheLaterAndRecordOnlyTheEarlier() {
        ObservedTime time = workerAt(T.plus(Duration.ofDays(1)));
        time.observe(T, null);
        assertThat(time.disagreement()).isEqualTo(Duration.ofDays(1)); // and a WARN says so
        assertThat(time.now()).isEqualTo(T.plus(Duration.ofDays(1)));
        assertThat(time.seen()).isEqualTo(T);

        ObservedTime behind = workerAt(T.minus(Duration.ofDays(1)));
        behind.observe(T, null);
        assertThat(behind.now()).as("a worker clock turned back is overruled by PostgreSQL's").isEqualTo(T);
        assertThat(behind.seen()).isEqualTo(T.minus(Duration.ofDays(1)));
    }

    @Test
    void theTimeSeenNeverGoesBack() {
        ObservedTime time = workerAt(T);
        time.observe(T, T.plus(Duration.ofDays(2)));
        assertThat(time.seen()).isEqualTo(T.plus(Duration.ofDays(2)));
        assertThat(time.now()).isEqualTo(T.plus(Duration.ofDays(2)));
        time.observe(T, null);
        assertThat(time.seen()).isEqualTo(T.plus(Duration.ofDays(2)));
    }

    @Test
    void fiveMinutesApartStillAgree() {
        ObservedTime time = workerAt(T);
        time.observe(T.plus(Duration.ofMinutes(5)), null);
        assertThat(time.disagreement()).isNull();
        time.observe(T.plus(Duration.ofMinutes(5)).plusSeconds(1), null);
        assertThat(time.disagreement()).isEqualTo(Duration.ofMinutes(5).plusSeconds(1));
    }
}
