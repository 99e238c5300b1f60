package io.tidemark.control.cutover;

import io.tidemark.sink.SinkPrecheck;
import io.tidemark.sink.naming.TargetTable;

/** Source names as the sink maps them ({@code name.case}, the renames, {@code target.schema}): the sink's own mapping. */
public interface TargetNames {

    TargetTable table(String sourceTable);

    String column(String sourceTable, String column);

    /** An index's, constraint's or sequence's name. */
    String object(String name);

    static TargetNames of(SinkPrecheck sink) {
        return new TargetNames() {
            @Override
            public TargetTable table(String sourceTable) {
                return sink.target(sourceTable);
            }

            @Override
            public String column(String sourceTable, String column) {
                return sink.targetColumn(sourceTable, column);
            }

            @Override
            public String object(String name) {
                return sink.targetObject(name);
            }
        };
    }
}
