package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

/**
 * When a batch that is neither full nor old goes: only once the task is caught up, which a short
 * poll alone does not prove (a fetch cut by its byte limits, or the tail of one fetch while the next
 * is on its way, is short too); the consumer's lag must be zero as well.
 */
class FlushTimingTest {

    private static final int POLL = 5000;
    private static final long MAX_WAIT = 1000;
    private static final LongSupplier AT_THE_END = () -> 0;
    private static final LongSupplier BEHIND = () -> 40_000;
    private static final LongSupplier UNKNOWN = () -> ConsumerControl.UNKNOWN_LAG;

    private final FlushTiming timing = new FlushTiming(MAX_WAIT, POLL);

    @Test
    void aShortPollAtTheEndOfThePartitionsAppliesAtOnceWhenTheApplierIsIdle() {
        timing.polled(1, AT_THE_END);

        assertThat(timing.due(false, false, 0, true)).isTrue();
        assertThat(timing.due(false, false, 0, false)).as("a flush in flight").isFalse();
        assertThat(timing.wakeUpMs(0, false)).isEqualTo(FlushTiming.SETTLE_LOOK_MS);
    }

    @Test
    void shortPollsWhileTheConsumerIsBehindKeepFillingTheBatch() {
        for (int poll = 0; poll < 10; poll++) {
            timing.polled(poll % 2 == 0 ? 125 : 625, BEHIND); // byte-limited fetches, the tail of a fetch

            assertThat(timing.caughtUp()).isFalse();
            assertThat(timing.due(false, false, 50, true)).as("a partial batch, the applier idle").isFalse();
        }
        assertThat(timing.due(false, true, 50, true)).as("the full batch").isTrue();
        assertThat(timing.due(false, false, MAX_WAIT, true)).as("a batch as old as batch.max.wait.ms").isTrue();
        assertThat(timing.wakeUpMs(200, true)).isEqualTo(MAX_WAIT - 200);
    }

    @Test
    void anEmptyPollWhileTheConsumerIsBehindIsNotCaughtUp() {
        timing.polled(0, BEHIND); // the poll timed out while a fetch was still on its way

        assertThat(timing.due(false, false, 50, true)).isFalse();
    }

    @Test
    void aFullPollDoesNotAskForTheLag() {
        timing.polled(POLL, () -> {
            throw new AssertionError("the lag was read after a full poll");
        });

        assertThat(timing.caughtUp()).isFalse();
        assertThat(timing.due(false, false, 50, true)).isFalse();
    }

    @Test
    void theTaskCatchesUpWhenTheLagReachesZero() {
        timing.polled(625, BEHIND);
        timing.polled(300, AT_THE_END);

        assertThat(timing.due(false, false, 50, true)).isTrue();
        timing.polled(POLL, AT_THE_END); // a burst
        assertThat(timing.due(false, false, 50, true)).isFalse();
    }

    @Test
    void withoutTheConsumersLagAShortPollDecidesAlone() {
        timing.polled(625, UNKNOWN);

        assertThat(timing.due(false, false, 0, true)).isTrue();
    }

    @Test
    void noPollRecordsTurnsTheCaughtUpApplyOff() {
        FlushTiming off = new FlushTiming(MAX_WAIT, 0);
        off.polled(1, AT_THE_END);

        assertThat(off.due(false, false, 0, true)).isFalse();
        assertThat(off.due(false, false, MAX_WAIT, true)).isTrue();
    }

    @Test
    void aPollLargerThanTheConnectorsHintIsTheFullPoll() {
        timing.polled(8000, AT_THE_END); // a worker-wide max.poll.records above the connector's
        timing.polled(5000, BEHIND);

        assertThat(timing.caughtUp()).isFalse();
        timing.polled(5000, AT_THE_END);
        assertThat(timing.caughtUp()).isTrue();
    }

    @Test
    void anEmptyBatchIsNeverDue() {
        timing.polled(0, AT_THE_END);

        assertThat(timing.due(true, false, MAX_WAIT, true)).isFalse();
    }
}
