package io.tidemark.sink.license;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tidemark.sink.naming.Identifiers;

/**
 * The meaningful columns of a project's row in {@code <control>.license_usage}, and their seal: a
 * keyed checksum (HMAC-SHA256) the sink writes with every update and checks before every metered
 * commit, so that a row changed by SQL is refused. The other columns (state, reason, the key's
 * limits) are reports the sink writes, never reads.
 *
 * <p>The seal's key is a constant of this class: the source is public, so whoever reads it can
 * compute seals. The seal makes an edit evident; it cannot stop someone who writes code for it
 * (docs/license.md says what each layer catches).
 *
 * @param createdAt  when the sink made the row (a row made later in another control schema is the
 *                   one that meters, see {@link ControlSchemaSurvey})
 * @param lastSeenAt the latest time the sink has seen, so that a clock turned back does not extend a key
 * @param seal       hex HMAC over the other fields; null when the row was not written by the sink
 */
record UsageRow(String project, long usedBytes, Instant createdAt, Instant lastSeenAt, String seal) {

    private static final byte[] SEAL_KEY = sha256("io.tidemark.sink.license.UsageRow seal v1");

    /** A row with its seal; the times are kept to the millisecond, which PostgreSQL stores exactly. */
    static UsageRow sealed(String project, long usedBytes, Instant createdAt, Instant lastSeenAt) {
        Instant created = createdAt.truncatedTo(ChronoUnit.MILLIS);
        Instant seen = lastSeenAt.truncatedTo(ChronoUnit.MILLIS);
        return new UsageRow(project, usedBytes, created, seen, seal(project, usedBytes, created, seen));
    }

    /** This row with more bytes used and, if later, a later time seen. */
    UsageRow plus(long bytes, Instant seen) {
        return sealed(project, usedBytes + bytes, createdAt, later(lastSeenAt, seen));
    }

    boolean sealVerifies() {
        return seal != null && createdAt != null && lastSeenAt != null
                && MessageDigest.isEqual(seal.getBytes(StandardCharsets.US_ASCII),
                        seal(project, usedBytes, createdAt, lastSeenAt).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A row the sink has not written yet: missing, or left without seal and usage by a refusal
     * (see {@link UsageLedger#report}). Such a row may be made afresh when nothing says the project
     * has applied anything.
     */
    static boolean absent(UsageRow row) {
        return row == null || (row.seal == null && row.usedBytes == 0);
    }

    /** The statement that puts this row back as it is, for an operator to run. */
    String restoreSql(String table) {
        return "INSERT INTO " + table + " (project, used_bytes, created_at, last_seen_at, seal) VALUES ("
                + Identifiers.literal(project) + ", " + usedBytes + ", '" + createdAt + "', '" + lastSeenAt + "', '" + seal
                + "') ON CONFLICT (project) DO UPDATE SET used_bytes = EXCLUDED.used_bytes, created_at = EXCLUDED.created_at, "
                + "last_seen_at = EXCLUDED.last_seen_at, seal = EXCLUDED.seal";
    }

    static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static String seal(String project, long usedBytes, Instant createdAt, Instant lastSeenAt) {
        // Length-prefixed, so that no two rows share an input whatever their project names hold.
        String input = "usage-v1|" + project.length() + ":" + project + "|" + usedBytes + "|" + createdAt.toEpochMilli()
                + "|" + lastSeenAt.toEpochMilli();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SEAL_KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
