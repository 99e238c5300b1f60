package io.tidemark.quickstart.progress;

import java.util.Locale;

/** The line the quickstart prints for a completed iteration. */
public final class ProgressLine {

    private ProgressLine() {
    }

    /**
     * E.g. {@code iteration 2: 118 upserted, 12 deleted (40.2 kB), applied in 412 ms · license: 1.2 MB of 1 GB (trial, 0.12 %)}.
     */
    public static String of(CompletedIteration it, LicenseUse license) {
        String line = String.format(Locale.ROOT, "iteration %d%s: %d upserted, %d deleted (%s), applied in %s · license: %s",
                it.iteration(), it.last() ? " (final)" : "", it.upserted(), it.deleted(), bytes(it.bytes()),
                millis(it.applyMs()), license(license));
        return line;
    }

    static String license(LicenseUse license) {
        if (license == null) {
            return "no usage recorded yet";
        }
        String who = "TRIAL".equals(license.state()) ? "trial" : license.keyId() == null ? license.state()
                : "key " + license.keyId() + ", " + license.state();
        if (license.maxBytes() == null || license.maxBytes() <= 0) {
            return bytes(license.usedBytes()) + " used (" + who + ")";
        }
        double percent = 100.0 * license.usedBytes() / license.maxBytes();
        return String.format(Locale.ROOT, "%s of %s (%s, %s %%)", bytes(license.usedBytes()), bytes(license.maxBytes()), who,
                percent < 0.01 && license.usedBytes() > 0 ? "<0.01" : String.format(Locale.ROOT, "%.2f", percent));
    }

    /** Decimal units, as the license volume is counted (the trial is 10^9 bytes: 1 GB). */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }

    static String millis(long ms) {
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
