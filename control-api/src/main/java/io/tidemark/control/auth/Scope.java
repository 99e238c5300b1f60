package io.tidemark.control.auth;

import java.util.Locale;

/**
 * What a token may do. Each scope includes the ones before it: {@code read} (status, metrics,
 * iterations, tables, audit), {@code operate} (start, pause, soft stop, stop, restart, precheck, table
 * actions), {@code admin} (delete, license). The token Prometheus scrapes with needs only {@code read}.
 */
public enum Scope {
    READ, OPERATE, ADMIN;

    public boolean covers(Scope needed) {
        return ordinal() >= needed.ordinal();
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the scopes there are */
    public static Scope of(String word) {
        for (Scope s : values()) {
            if (s.word().equals(word.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + word + "': read, operate or admin");
    }
}
