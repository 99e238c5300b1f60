package io.tidemark.sink.copy;

import java.util.HashMap;
import java.util.Map;

import io.tidemark.sink.naming.TargetTable;

/**
 * When to try a plain {@code COPY} into the target for a segment of inserts. Always, until a
 * table refuses one (its keys exist: a replay, a re-snapshot); then that table takes the staged
 * upsert for a while, so a stream of conflicts does not pay for a failed COPY every time, and the
 * direct path is tried again later.
 */
public final class DirectCopyPolicy {

    /** Segments a table skips the direct path for after a refusal, doubling with each refusal in a row. */
    private static final int FIRST_PAUSE = 4;
    private static final int LONGEST_PAUSE = 256;

    private record State(int pause, int skipsLeft) {
    }

    private final Map<TargetTable, State> states = new HashMap<>();

    public boolean mayTry(TargetTable table) {
        State state = states.get(table);
        if (state == null || state.skipsLeft() == 0) {
            return true;
        }
        states.put(table, new State(state.pause(), state.skipsLeft() - 1));
        return false;
    }

    /** Whether the table refused a direct COPY since its last one that went through. */
    public boolean refusedLately(TargetTable table) {
        return states.containsKey(table);
    }

    public void succeeded(TargetTable table) {
        states.remove(table);
    }

    public void refused(TargetTable table) {
        State state = states.get(table);
        int pause = state == null ? FIRST_PAUSE : Math.min(LONGEST_PAUSE, state.pause() * 2);
        states.put(table, new State(pause, pause));
    }
}
