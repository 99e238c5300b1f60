package io.tidemark.sink.license;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.license.LicenseClaims;

/**
 * The time a license key is judged by: never earlier than the latest time the sink has seen, so
 * that turning a clock back does not extend a key. Each look at the usage row brings PostgreSQL's
 * clock and the row's {@code last_seen_at}; keys are judged by the latest of those and the worker's
 * clock. What is recorded as seen is the later of the two clocks while they agree within
 * {@link LicenseClaims#CLOCK_SKEW}, and only the earlier while they do not, so that one clock set
 * wrong neither extends nor cuts short a key for good.
 */
final class ObservedTime {

    private static final Logger LOG = LoggerFactory.getLogger(ObservedTime.class);

    private final Clock clock;
    private Instant seen;
    private Instant databaseNow;
    private Duration disagreement;

    ObservedTime(Clock clock) {
        this.clock = clock;
    }

    /** Takes in what the database says: its clock, and the time the row says was seen (may be null). */
    void observe(Instant database, Instant rowSeen) {
        Instant worker = clock.instant();
        Duration apart = Duration.between(database, worker).abs();
        boolean agree = apart.compareTo(LicenseClaims.CLOCK_SKEW) <= 0;
        if (!agree && disagreement == null) {
            LOG.warn("The worker's clock ({}) and PostgreSQL's ({}) differ by {} s, more than the {} minutes of skew "
                    + "license keys tolerate. License keys are judged by the later of the two; check both machines' "
                    + "time synchronisation", worker, database, apart.toSeconds(), LicenseClaims.CLOCK_SKEW.toMinutes());
        } else if (agree && disagreement != null) {
            LOG.info("The worker's clock and PostgreSQL's agree again ({} s apart)", apart.toSeconds());
        }
        disagreement = agree ? null : apart;
        Instant both = agree ? UsageRow.later(worker, database) : (worker.isBefore(database) ? worker : database);
        seen = UsageRow.later(UsageRow.later(seen, rowSeen), both).truncatedTo(ChronoUnit.MILLIS);
        databaseNow = database;
    }

    /** The latest time seen, to record in the usage row; null before the first {@link #observe}. */
    Instant seen() {
        return seen;
    }

    /** The time to judge a key's validity by: the latest of the worker's clock, PostgreSQL's and what was seen. */
    Instant now() {
        return UsageRow.later(UsageRow.later(clock.instant(), seen), databaseNow);
    }

    /** How far the two clocks were apart at the last look, when more than the skew allowed; null while they agree. */
    Duration disagreement() {
        return disagreement;
    }
}
