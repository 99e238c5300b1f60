package io.tidemark.control.cutover;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.tidemark.control.actions.Progress;
import io.tidemark.control.store.ControlRows;
import io.tidemark.sink.SinkPrecheck;

/** A cutover's report while it runs: each step timed as it happens, told to the progress stream. */
final class ReportDraft {

    private final String project;
    private final String kind;
    private final Progress progress;
    private final Instant startedAt = Instant.now();
    private final List<CutoverReport.StepTime> steps = new ArrayList<>();
    private String running;
    private Instant runningSince;
    private String outcome;
    private String message;
    private long id;
    private RestorePlan plan = RestorePlan.empty();
    private RestoreExecutor.Result result;
    private CutoverReport.Verification verification;

    ReportDraft(String project, String kind, Progress progress) {
        this.project = project;
        this.kind = kind;
        this.progress = progress;
    }

    void say(String line) {
        progress.say(line);
    }

    <T> T timed(String step, Supplier<T> work) {
        running = step;
        runningSince = Instant.now();
        progress.say("step " + step + ": started");
        try {
            T value = work.get();
            step(step, "done", null);
            return value;
        } catch (RuntimeException e) {
            step(step, "failed", e.getMessage());
            throw e;
        } finally {
            running = null;
        }
    }

    private void step(String step, String status, String detail) {
        long millis = Duration.between(runningSince, Instant.now()).toMillis();
        steps.add(new CutoverReport.StepTime(step, status, runningSince, millis, detail));
        progress.say("step " + step + ": " + status + " in " + millis + " ms" + (detail == null ? "" : ": " + detail));
    }

    void skipped(String step, String detail) {
        steps.add(new CutoverReport.StepTime(step, "skipped", Instant.now(), 0, detail));
        progress.say("step " + step + ": skipped, " + detail);
    }

    ReportDraft pending(String why) {
        outcome = "PENDING";
        message = why;
        return this;
    }

    /** Tables out of sync: the cutover stops before the restore, the report says which. */
    ReportDraft notVerified(String why) {
        outcome = "NOT_VERIFIED";
        message = why;
        return this;
    }

    void verified(CutoverReport.Verification v) {
        this.verification = v;
    }

    void kept(long id) {
        this.id = id;
    }

    void plan(RestorePlan plan) {
        this.plan = plan;
        progress.say("plan: " + plan.statements().size() + " statement(s), " + plan.inPlace().size() + " in place, "
                + plan.handReview().size() + " for hand review");
    }

    void restored(RestoreExecutor.Result result) {
        this.result = result;
        for (RestoreExecutor.StepResult s : result.steps()) {
            steps.add(new CutoverReport.StepTime("restore: " + s.step(), s.status(), s.startedAt(), s.millis(),
                    s.done() + " of " + s.statements() + " statement(s)" + (s.failure() == null ? ""
                            : "; " + s.failure().table() + ": " + s.failure().error())));
        }
    }

    void planOnly() {
        outcome = "PLANNED";
        message = plan.statements().size() + " statement(s) planned, nothing changed";
    }

    /** The report as it stands; the step running now (the report itself) with its time so far. */
    CutoverReport report(List<ControlRows.TableRow> tables, Map<String, Long> rows, SinkPrecheck sink,
                         ControlRows.IterationRow finalIteration, ControlRows.LicenseRow license) {
        List<CutoverReport.StepTime> all = new ArrayList<>(steps);
        if (running != null) {
            all.add(new CutoverReport.StepTime(running, "done", runningSince,
                    Duration.between(runningSince, Instant.now()).toMillis(), null));
        }
        List<RestoreExecutor.Failure> failures = result == null || result.failure() == null ? List.of()
                : List.of(result.failure());
        if (outcome == null) {
            outcome = failures.isEmpty() ? "DONE" : "FAILED";
            message = failures.isEmpty() ? "structure restored: " + (result == null ? 0 : result.done().size())
                    + " statement(s) run, " + plan.inPlace().size() + " in place, " + plan.handReview().size()
                    + " for hand review" : "step " + failures.get(0).step() + " stopped on " + failures.get(0).table()
                    + ": " + failures.get(0).error() + " (fix it and run again: what is in place is skipped)";
        }
        List<CutoverReport.TableReport> perTable = new ArrayList<>();
        for (ControlRows.TableRow t : tables) {
            Map<String, Integer> restored = new LinkedHashMap<>();
            if (result != null) {
                result.done().stream().filter(s -> s.table().equals(t.sourceTable()))
                        .forEach(s -> restored.merge(s.step().word(), 1, Integer::sum));
            }
            perTable.add(new CutoverReport.TableReport(t.sourceTable(), sink.target(t.sourceTable()).toString(),
                    rows.get(t.sourceTable()), restored, (int) failures.stream().filter(f -> f.table().equals(t.sourceTable()))
                    .count(), (int) plan.handReview().stream().filter(h -> h.table().equals(t.sourceTable())).count()));
        }
        return new CutoverReport(id, project, kind, outcome, message, startedAt, Instant.now(), all, perTable,
                finalIteration == null ? null : finalIteration.iteration(),
                finalIteration == null ? null : finalIteration.sourcePosition(),
                license == null ? null : license.usedBytes(), license == null ? null : license.maxBytes(), verification,
                failures, plan.handReview(), plan.inPlace(), plan.sql());
    }

    /** The report so far, as kept in the control schema before any statement runs. */
    CutoverReport started() {
        return new CutoverReport(id, project, kind, "RUNNING", "restoring the structure", startedAt, null, List.copyOf(steps),
                List.of(), null, null, null, null, verification, List.of(), plan.handReview(), plan.inPlace(), plan.sql());
    }
}
