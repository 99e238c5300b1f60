package io.tidemark.quickstart.progress;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.iteration.InitialLoad;

/**
 * The line the quickstart prints while the initial load (iteration 0) runs, from the sink's ledger
 * ({@link InitialLoad}): the rows applied so far and their pace. The quickstart does not ask the
 * demo source for its statistics (its freshly seeded tables were never analyzed), so the expected
 * rows show as unknown and no ETA is made up; {@code bin/tidemark status} shows them where known.
 */
public final class LoadLine {

    private final ControlSchema control;
    private final String project;

    public LoadLine(String schema, String project) {
        this.control = new ControlSchema(schema);
        this.project = project;
    }

    /** The line, or null when no table is loading (or none has a row applied yet). */
    public String read(Connection c) throws SQLException {
        return of(InitialLoad.read(c, control, project));
    }

    /** E.g. {@code initial load: 640 rows of unknown (no estimate)  850 rows/s  ETA - (4 tables loading)}. */
    static String of(List<InitialLoad.Reading> loading) {
        if (loading.stream().allMatch(r -> r.rowsApplied() == 0)) {
            return null;
        }
        InitialLoad.Figures sum = InitialLoad.Figures.sum(loading.stream().map(r -> InitialLoad.Figures.of(r, null))
                .toList());
        return "initial load: " + sum.describe() + " (" + loading.size() + (loading.size() == 1 ? " table" : " tables")
                + " loading)";
    }
}
