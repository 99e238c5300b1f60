package io.tidemark.sink.control;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.PerTable;
import io.tidemark.sink.naming.SourceTable;

/**
 * What the task knows of each table's control state — its consistency mode and the state the
 * operator's last accepted request asks for — read from the control schema every lifecycle poll
 * by the task's thread and read by the applier thread while it writes statuses.
 */
public final class TableView {

    private final PerTable<ConsistencyMode> configured;
    private final Map<SourceTable, DesiredStates.TableControl> controls = new ConcurrentHashMap<>();

    public TableView(PerTable<ConsistencyMode> configured) {
        this.configured = configured;
    }

    public void update(SourceTable table, DesiredStates.TableControl control) {
        controls.put(table, control);
    }

    public DesiredStates.TableControl control(SourceTable table) {
        return controls.get(table);
    }

    /** The mode in force: the control schema's, or, for a table it does not know yet, the configured one. */
    public ConsistencyMode mode(SourceTable table) {
        DesiredStates.TableControl c = controls.get(table);
        return c == null ? configured.of(table) : c.mode();
    }

    public ConsistencyMode configuredMode(SourceTable table) {
        return configured.of(table);
    }

    public DesiredStates.Accepted accepted(SourceTable table) {
        DesiredStates.TableControl c = controls.get(table);
        return c == null ? DesiredStates.Accepted.RUNNING : c.accepted();
    }

    /** The status of a partition that applies records: RUNNING, or FINALIZING during a soft stop. */
    public TableStatus runningStatus(SourceTable table) {
        return accepted(table) == DesiredStates.Accepted.FINALIZING ? TableStatus.FINALIZING : TableStatus.RUNNING;
    }
}
