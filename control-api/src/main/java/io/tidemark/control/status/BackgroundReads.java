package io.tidemark.control.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.control.ProjectServices;

/**
 * Something read of every project in the background, so that a request answers from memory at once
 * (a scrape, a readiness probe) however slowly Connect or a database answers. At most one read per
 * project runs at a time; one that outlives its time budget is interrupted and counted as failed,
 * and the previous value stays, with the time it was read.
 *
 * @param <T> what is read
 */
public final class BackgroundReads<T> {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundReads.class);

    /** The newest value read of a project, when, and how many reads failed or ran out of time so far. */
    public record Latest<T>(T value, Instant at, long failures) {
    }

    private record Running(Future<?> future, Instant started) {
    }

    private final String what;
    private final Collection<ProjectServices> projects;
    private final Function<ProjectServices, T> read;
    private final Duration budget;
    private final ExecutorService pool;
    private final Map<String, Latest<T>> latest = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Consumer<Map<String, Latest<T>>> onChange;

    public BackgroundReads(String what, Collection<ProjectServices> projects, Function<ProjectServices, T> read,
                           Duration budget, ExecutorService pool, Consumer<Map<String, Latest<T>>> onChange) {
        this.what = what;
        this.projects = projects;
        this.read = read;
        this.budget = budget;
        this.pool = pool;
        this.onChange = onChange;
    }

    /** Starts a read of each project that has none running; interrupts one past its budget. */
    public void tick() {
        Instant now = Instant.now();
        for (ProjectServices p : projects) {
            String name = p.project().name();
            Running r = running.get(name);
            if (r != null && !r.future().isDone()) {
                if (Duration.between(r.started(), now).compareTo(budget) > 0) {
                    r.future().cancel(true);
                    failed(name, "took longer than " + budget.toSeconds() + " s");
                }
                continue;
            }
            try {
                running.put(name, new Running(pool.submit(() -> readOne(p)), now));
            } catch (RejectedExecutionException e) {
                return; // stopping
            }
        }
    }

    private void readOne(ProjectServices p) {
        String name = p.project().name();
        try {
            T value = read.apply(p);
            if (Thread.currentThread().isInterrupted()) {
                return; // cancelled past the budget: counted there
            }
            Latest<T> before = latest.get(name);
            latest.put(name, new Latest<>(value, Instant.now(), before == null ? 0 : before.failures()));
            onChange.accept(snapshot());
        } catch (RuntimeException e) {
            failed(name, e.getMessage());
        }
    }

    private void failed(String name, String why) {
        LOG.warn("the {} of project {} could not be read: {}", what, name, why);
        latest.compute(name, (n, l) -> l == null ? new Latest<>(null, null, 1)
                : new Latest<>(l.value(), l.at(), l.failures() + 1));
        onChange.accept(snapshot());
    }

    /** Every project's newest value, in the projects' order (a project not read yet is missing). */
    public Map<String, Latest<T>> snapshot() {
        Map<String, Latest<T>> copy = new LinkedHashMap<>();
        for (ProjectServices p : projects) {
            Latest<T> l = latest.get(p.project().name());
            if (l != null) {
                copy.put(p.project().name(), l);
            }
        }
        return copy;
    }
}
