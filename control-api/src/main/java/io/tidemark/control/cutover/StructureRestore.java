package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import io.tidemark.control.actions.Progress;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.SinkPrecheck;

/**
 * The restore as a whole: the source's catalog read, the target's read, the plan made, and (unless
 * only the plan is asked for) run. Used by the cutover and by a table's finalize.
 */
public final class StructureRestore {

    private final DatabaseSettings source;
    private final DatabaseSettings target;
    private final TargetNames names;
    private final int parallel;

    public StructureRestore(DatabaseSettings source, DatabaseSettings target, SinkPrecheck sink, int parallel) {
        this(source, target, TargetNames.of(sink), parallel);
    }

    StructureRestore(DatabaseSettings source, DatabaseSettings target, TargetNames names, int parallel) {
        this.source = source;
        this.target = target;
        this.names = names;
        this.parallel = parallel;
    }

    /** The plan for {@code tables} against the target as it is now. */
    public RestorePlan plan(List<String> tables) throws SQLException {
        Structure structure;
        try (Connection c = source.connect()) {
            structure = SourceCatalog.forUrl(source.url()).read(c, tables);
        }
        TargetCatalog now;
        try (Connection c = target.connect()) {
            now = TargetCatalog.read(c, RestorePlanner.schemas(names, tables));
        }
        return new RestorePlanner(names, source.isOracle() ? ExpressionTranslator.Dialect.ORACLE
                : ExpressionTranslator.Dialect.POSTGRES).plan(structure, now);
    }

    /** For a table finalized alone: its part of the plan ({@link RestorePlan#only}). */
    public RestorePlan plan(List<String> tables, String table, Set<String> stopped) throws SQLException {
        return plan(tables).only(table, stopped);
    }

    public RestoreExecutor.Result run(RestorePlan plan, Progress progress) {
        return new RestoreExecutor(target::connectUnbounded, parallel, progress).run(plan);
    }
}
