package io.tidemark.control.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.project.DatabasePool;
import io.tidemark.control.source.RowEstimates;
import io.tidemark.sink.iteration.InitialLoad;

/**
 * The initial load's figures per table: the ledger's readings (rows applied, pace) against the rows
 * the source's statistics expect. The source is asked only while some table is still loading, once
 * per status; a source that does not answer leaves the estimates unknown and says so in problems.
 */
final class LoadEstimates {

    private LoadEstimates() {
    }

    static Map<String, InitialLoad.Figures> figures(ProjectServices p, List<InitialLoad.Reading> loads,
                                                    List<String> problems) {
        Map<String, InitialLoad.Figures> figures = new LinkedHashMap<>();
        if (loads.isEmpty()) {
            return figures;
        }
        Map<String, Long> expected = Map.of();
        try (Connection source = p.source()) {
            expected = RowEstimates.read(source, p.project().sourceDatabase().isOracle(),
                    loads.stream().map(InitialLoad.Reading::sourceTable).toList());
        } catch (SQLException e) {
            problems.add("the source's row estimates could not be read (" + DatabasePool.describe(e)
                    + "): the initial load's expected rows are unknown");
        }
        for (InitialLoad.Reading r : loads) {
            figures.put(r.sourceTable(), InitialLoad.Figures.of(r, expected.get(r.sourceTable())));
        }
        return figures;
    }
}
