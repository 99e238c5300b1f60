package io.tidemark.common.control;

import java.util.List;
import java.util.Map;

/**
 * A soft stop finishes the iterations up to the source's final marker and then stops every table.
 * A table in error or paused would never reach that marker, so the request is refused while one is.
 */
public final class SoftStop {

    private SoftStop() {
    }

    /** Why a soft stop is refused for tables in these statuses, or null when it may go ahead. */
    public static String refusal(Map<String, TableStatus> statuses) {
        List<String> blocking = statuses.entrySet().stream()
                .filter(e -> e.getValue().isError() || e.getValue() == TableStatus.PAUSED)
                .map(e -> e.getKey() + " is " + e.getValue()).sorted().toList();
        if (blocking.isEmpty()) {
            return null;
        }
        return "soft stop refused: " + String.join(", ", blocking) + " (a soft stop needs every table "
                + "running: start or stop those first)";
    }
}
