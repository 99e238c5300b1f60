package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.tidemark.common.control.SoftStop;
import io.tidemark.common.control.TableStatus;
import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.actions.ProjectActions;
import io.tidemark.control.actions.Progress;
import io.tidemark.control.store.ControlRows;

/**
 * {@code tidemark cutover}: precheck, soft stop to a final iteration, the structure restored, the
 * report (docs/cutover.md). Each step is timed; a rerun goes on where the last one stopped (a
 * soft stop that ended is not asked for again, statements in place are not run again).
 */
public final class Cutover {

    /** How many index builds run at once by default: the target keeps serving while they run. */
    public static final int DEFAULT_PARALLEL = 2;

    private final ProjectServices p;
    private final CutoverStore store;
    private final StructureRestore restore;

    public Cutover(ProjectServices p, int parallel) {
        this.p = p;
        this.store = new CutoverStore(p.project().controlSchema());
        this.restore = new StructureRestore(p.project().sourceDatabase(), p.project().targetDatabase(),
                p.project().sinkPrecheck(), parallel <= 0 ? DEFAULT_PARALLEL : parallel);
    }

    /**
     * @param skipVerify go on to the restore even when the final verification finds tables out of sync (the report
     *                   says so)
     * @param fullVerify compare every table whole at the final verification, not only what changed since its mark
     */
    public CutoverReport run(boolean planOnly, boolean skipVerify, boolean fullVerify, Duration wait, Progress progress) {
        ReportDraft draft = new ReportDraft(p.project().name(), planOnly ? "plan" : "cutover", progress);
        List<ControlRows.TableRow> tables = draft.timed("precheck", () -> precheck(planOnly, draft));
        if (!planOnly) {
            Optional<ControlRows.IterationRow> done = softStopped();
            if (done.isPresent()) {
                draft.skipped("soft stop", "ended already: final iteration " + done.get().iteration() + " applied, every"
                        + " table STOPPED");
            } else {
                ActionResult stop = draft.timed("soft stop", () -> new ProjectActions(p).softStop(wait, progress));
                if (!stop.done()) {
                    return finish(draft.pending("soft stop: " + stop.message() + " (run the cutover again to go on)"), tables);
                }
            }
            // What changed since each table's mark (whole with fullVerify, or never verified). A rerun verifies again.
            Long at = softStopped().map(ControlRows.IterationRow::iteration).orElse(null);
            CutoverReport.Verification v = draft.timed("verification",
                    () -> new FinalVerification(p).run(at, skipVerify, fullVerify, progress));
            draft.verified(v);
            List<String> out = FinalVerification.outOfSync(v);
            if (!out.isEmpty() && !skipVerify) {
                draft.kept(read(c -> store.begin(c, draft.started())));
                return finish(draft.notVerified("final verification at iteration " + v.iteration() + ": " + out.size()
                        + " table(s) out of sync, nothing restored: " + String.join("; ", out) + " (repair them and run"
                        + " the cutover again, or --skip-verify to go on knowingly)"), tables);
            }
            if (!out.isEmpty()) {
                draft.say("WARN  going on past " + out.size() + " table(s) out of sync (--skip-verify): "
                        + String.join("; ", out));
            }
        }
        RestorePlan plan = draft.timed("plan", () -> sql(() -> restore.plan(names(tables))));
        return restoreAndFinish(draft, plan, planOnly, tables, progress);
    }

    /** {@code tidemark table finalize}: one STOPPED table's structure, before the project's cutover. */
    public CutoverReport finalizeTable(String table, Progress progress) {
        ReportDraft draft = new ReportDraft(p.project().name(), "finalize " + table, progress);
        List<ControlRows.TableRow> tables = draft.timed("precheck", () -> {
            List<ControlRows.TableRow> all = read(c -> p.control().tables(c));
            ControlRows.TableRow row = all.stream().filter(t -> t.sourceTable().equalsIgnoreCase(table)).findFirst()
                    .orElseThrow(() -> ControlException.notFound("project " + p.project().name() + " has no table '" + table
                            + "' (its tables: " + all.stream().map(ControlRows.TableRow::sourceTable)
                            .collect(Collectors.joining(", ")) + ")"));
            if (!"STOPPED".equals(row.status())) {
                throw ControlException.refused("finalize refused: table " + row.sourceTable() + " is " + row.status()
                        + "; finalize restores a STOPPED table's structure (tidemark table stop " + p.project().name() + " "
                        + row.sourceTable() + " first, or tidemark cutover for the whole project)");
            }
            draft.say("ok    " + row.sourceTable() + " is STOPPED");
            return List.of(row);
        });
        String name = tables.get(0).sourceTable();
        List<ControlRows.TableRow> all = read(c -> p.control().tables(c));
        Set<String> stopped = all.stream().filter(t -> "STOPPED".equals(t.status())).map(ControlRows.TableRow::sourceTable)
                .collect(Collectors.toSet());
        RestorePlan plan = draft.timed("plan", () -> sql(() -> restore.plan(names(all), name, stopped)));
        return restoreAndFinish(draft, plan, false, tables, progress);
    }

    /** The plan kept in the control schema first (the reviewable SQL), then run unless only the plan is asked for. */
    private CutoverReport restoreAndFinish(ReportDraft draft, RestorePlan plan, boolean planOnly,
                                           List<ControlRows.TableRow> tables, Progress progress) {
        draft.plan(plan);
        long id = read(c -> p.control().exists(c) ? store.begin(c, draft.started()) : 0L);
        draft.kept(id);
        progress.say("plan kept in " + store.table() + " (report " + id + ")");
        if (planOnly) {
            draft.planOnly();
        } else {
            draft.restored(draft.timed("restore", () -> restore.run(plan, progress)));
        }
        return finish(draft, tables);
    }

    /** The newest report of the project. */
    public Optional<CutoverReport> newest() {
        return read(c -> store.newest(c, p.project().name()));
    }

    private List<ControlRows.TableRow> precheck(boolean planOnly, ReportDraft draft) {
        return read(c -> {
            if (!p.control().exists(c) || p.control().project(c).isEmpty()) {
                throw ControlException.refused("cutover refused: the sink has not registered project "
                        + p.project().controlProject() + " yet (nothing to cut over)");
            }
            List<ControlRows.TableRow> tables = p.control().tables(c);
            List<String> problems = new ArrayList<>();
            if (softStopped().isEmpty()) {
                Map<String, TableStatus> statuses = new LinkedHashMap<>();
                tables.forEach(t -> statuses.put(t.sourceTable(), TableStatus.valueOf(t.status())));
                String refusal = SoftStop.refusal(statuses);
                if (refusal != null) {
                    problems.add(refusal);
                }
            }
            Optional<ControlRows.LicenseRow> license = p.control().license(c);
            if (license.isPresent() && Set.of("EXHAUSTED", "EXPIRED", "TAMPERED", "NO_KEY").contains(license.get().state())) {
                problems.add("the license is " + license.get().state() + ": " + license.get().reason());
            }
            draft.say((problems.isEmpty() ? "ok    " : "FAIL  ") + "tables: " + tables.size() + ", " + tables.stream()
                    .collect(Collectors.groupingBy(ControlRows.TableRow::status, Collectors.counting())));
            draft.say("ok    license: " + license.map(l -> l.state() + ", " + l.usedBytes() + " bytes used").orElse("not "
                    + "metered yet"));
            new FinalVerification(p).lastRun(c, tables.stream().map(ControlRows.TableRow::sourceTable).toList())
                    .forEach(draft::say);
            if (!problems.isEmpty() && !planOnly) {
                throw ControlException.refused("cutover refused: " + String.join("; ", problems));
            }
            return tables;
        });
    }

    /** The final iteration when the soft stop has ended: the newest iteration final and APPLIED, every table STOPPED. */
    private Optional<ControlRows.IterationRow> softStopped() {
        return read(c -> {
            List<ControlRows.IterationRow> newest = p.control().iterations(c, 1);
            boolean stopped = p.control().tables(c).stream().allMatch(t -> "STOPPED".equals(t.status()));
            return newest.stream().filter(i -> i.isFinal() && "APPLIED".equals(i.status()) && stopped).findFirst();
        });
    }

    private CutoverReport finish(ReportDraft draft, List<ControlRows.TableRow> tables) {
        return draft.timed("report", () -> read(c -> {
            Map<String, Long> rows = new LinkedHashMap<>();
            for (ControlRows.TableRow t : tables) {
                rows.put(t.sourceTable(), count(c, p.project().sinkPrecheck().target(t.sourceTable()).quoted()));
            }
            Optional<ControlRows.IterationRow> last = p.control().iterations(c, 50).stream()
                    .filter(i -> i.isFinal() && "APPLIED".equals(i.status())).findFirst();
            Optional<ControlRows.LicenseRow> license = p.control().license(c);
            CutoverReport report = draft.report(tables, rows, p.project().sinkPrecheck(), last.orElse(null),
                    license.orElse(null));
            if (report.id() > 0) {
                store.update(c, report);
            }
            return report;
        }));
    }

    private static Long count(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        } catch (SQLException e) {
            return null; // not created yet: the report shows no count
        }
    }

    private static List<String> names(List<ControlRows.TableRow> tables) {
        return tables.stream().map(ControlRows.TableRow::sourceTable).toList();
    }

    interface Read<T> {
        T read(Connection c) throws SQLException;
    }

    private <T> T read(Read<T> r) {
        try (Connection c = p.target()) {
            return r.read(c);
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "the control schema cannot be read or written ("
                    + e.getMessage() + ")");
        }
    }

    interface Sql<T> {
        T get() throws SQLException;
    }

    static <T> T sql(Sql<T> s) {
        try {
            return s.get();
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "the source or target catalog cannot be read: "
                    + RestoreExecutor.words(e));
        }
    }
}
