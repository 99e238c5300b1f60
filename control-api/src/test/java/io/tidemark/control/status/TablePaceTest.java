package io.tidemark.control.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tidemark.control.store.ControlRows;

/** A table's rows per second, ETA and lag in seconds, from its pace over its last iterations. */
class TablePaceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T20:00:00Z");

    private static ControlRows.TableRow row(String status, String reason) {
        return new ControlRows.TableRow("public.x", "shop_t.x", "shop.public.x", status, reason, "PARTIAL", null, null,
                null, null, null, 7L);
    }

    @Test
    void rowsPerSecondAreTheRowsOfTheLastIterationsOverTheirTimeAndTheEtaTheLagAtThatPace() {
        ControlRows.TablePace pace = new ControlRows.TablePace("public.x", 600, 3, 60.0, NOW.minusSeconds(45));
        ProjectStatus.Table t = StatusReader.table(row("RUNNING", "stale reason"), 250L, pace, NOW, null);
        assertThat(t.rowsPerSecond()).isEqualTo(10.0);
        assertThat(t.etaSeconds()).isEqualTo(25L);
        assertThat(t.lagSeconds()).as("from the source's time of the last marker applied").isEqualTo(45L);
        assertThat(t.consistentAt()).isEqualTo(NOW.minusSeconds(45));
        assertThat(t.reason()).as("a RUNNING table has no reason to show").isNull();
    }

    @Test
    void nothingIsGuessedBeforeTwoIterationsOrWithoutTheLag() {
        ProjectStatus.Table first = StatusReader.table(row("WAITING", "waits for marker 8 in partition 0"), 40L,
                new ControlRows.TablePace("public.x", 0, 0, null, NOW), NOW, null);
        assertThat(first.rowsPerSecond()).isNull();
        assertThat(first.etaSeconds()).isNull();
        assertThat(first.reason()).isEqualTo("waits for marker 8 in partition 0");
        ProjectStatus.Table noKafka = StatusReader.table(row("RUNNING", null), null,
                new ControlRows.TablePace("public.x", 100, 2, 10.0, NOW), NOW, null);
        assertThat(noKafka.rowsPerSecond()).isEqualTo(10.0);
        assertThat(noKafka.etaSeconds()).isNull();
        ProjectStatus.Table caughtUp = StatusReader.table(row("RUNNING", null), 0L, null, NOW, null);
        assertThat(caughtUp.etaSeconds()).isZero();
        assertThat(caughtUp.lagSeconds()).isNull();
    }
}
