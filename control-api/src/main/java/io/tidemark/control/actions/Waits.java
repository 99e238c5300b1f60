package io.tidemark.control.actions;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import io.tidemark.control.ControlException;

/**
 * Bounded waits: Connect and the sink act asynchronously, so an action asks and then looks until
 * the state comes or the deadline passes, saying what it waits for every few seconds.
 */
final class Waits {

    static final Duration POLL = Duration.ofMillis(250);
    private static final Duration TELL_EVERY = Duration.ofSeconds(5);

    private final Instant deadline;
    private final Progress progress;

    Waits(Duration timeout, Progress progress) {
        this.deadline = Instant.now().plus(timeout);
        this.progress = progress;
    }

    /** The check's first answer, or empty when the deadline passed; {@code waitingFor} says what is awaited now. */
    <T> Optional<T> until(Supplier<Optional<T>> check, Supplier<String> waitingFor) {
        Instant nextTell = Instant.now().plus(TELL_EVERY);
        while (true) {
            Optional<T> result = check.get();
            if (result.isPresent()) {
                return result;
            }
            Instant now = Instant.now();
            if (now.isAfter(deadline)) {
                return Optional.empty();
            }
            if (now.isAfter(nextTell)) {
                progress.say("waiting: " + waitingFor.get());
                nextTell = now.plus(TELL_EVERY);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ControlException(ControlException.Kind.UNAVAILABLE, "interrupted while waiting for "
                        + waitingFor.get());
            }
        }
    }

    boolean until(Supplier<Boolean> check, String waitingFor) {
        return until(() -> check.get() ? Optional.of(Boolean.TRUE) : Optional.<Boolean>empty(), () -> waitingFor)
                .isPresent();
    }
}
