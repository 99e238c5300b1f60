package io.tidemark.common.license;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a license key grants: one project, moving from one kind of source database to one kind of
 * target, during {@code [issued, expires)}, up to {@code maxBytes} bytes applied to the target.
 *
 * <p>In the token these are the JSON members {@value #KEY_ID}, {@value #PROJECT},
 * {@value #SOURCE_TYPE}, {@value #TARGET_TYPE}, {@value #ISSUED} and {@value #EXPIRES} (strings;
 * the two times as ISO-8601 UTC instants to the second) and {@value #MAX_BYTES} (an integer).
 * Every member is required and no other is accepted: a claim this version does not know could be a
 * restriction it would fail to enforce.
 *
 * @param keyId      identifies this license key (not the signing key), e.g. in usage records
 * @param project    the Tidemark project the key is for, compared exactly
 * @param sourceType the kind of source database, a lowercase name such as {@value #ORACLE}
 * @param targetType the kind of target database, a lowercase name such as {@value #POSTGRESQL}
 * @param issued     the first instant the key is valid; kept to the second
 * @param expires    the first instant the key is no longer valid; kept to the second
 * @param maxBytes   the licensed data volume in bytes, more than zero
 */
public record LicenseClaims(String keyId, String project, String sourceType, String targetType,
                            Instant issued, Instant expires, long maxBytes) {

    public static final String KEY_ID = "key_id";
    public static final String PROJECT = "project";
    public static final String SOURCE_TYPE = "source_type";
    public static final String TARGET_TYPE = "target_type";
    public static final String ISSUED = "issued";
    public static final String EXPIRES = "expires";
    public static final String MAX_BYTES = "max_bytes";

    private static final Set<String> CLAIM_NAMES = Set.of(KEY_ID, PROJECT, SOURCE_TYPE, TARGET_TYPE, ISSUED, EXPIRES, MAX_BYTES);

    /** The source type Tidemark is licensed for today. */
    public static final String ORACLE = "oracle";
    /** The target type Tidemark is licensed for today. */
    public static final String POSTGRESQL = "postgresql";

    /**
     * How far this machine's clock may differ from the issuer's at either end of a key's validity:
     * a key issued "now" works at once on a sink whose clock is a little behind, and a key stops
     * working no earlier than {@code expires} on a sink whose clock is a little ahead. The sink
     * never judges by a clock turned back (see the sink's license metering).
     */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Pattern KEY_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TYPE_PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final int MAX_PROJECT_LENGTH = 200;

    public LicenseClaims {
        require(keyId != null && KEY_ID_PATTERN.matcher(keyId).matches(),
                KEY_ID + " must be 1 to 64 letters, digits, '.', '_' or '-', but is " + quote(keyId));
        requireProjectName(project);
        require(sourceType != null && TYPE_PATTERN.matcher(sourceType).matches(),
                SOURCE_TYPE + " must be a lowercase name such as '" + ORACLE + "', but is " + quote(sourceType));
        require(targetType != null && TYPE_PATTERN.matcher(targetType).matches(),
                TARGET_TYPE + " must be a lowercase name such as '" + POSTGRESQL + "', but is " + quote(targetType));
        Objects.requireNonNull(issued, ISSUED);
        Objects.requireNonNull(expires, EXPIRES);
        // The token carries seconds; keeping only those makes a claims value equal to its own round trip.
        issued = issued.truncatedTo(ChronoUnit.SECONDS);
        expires = expires.truncatedTo(ChronoUnit.SECONDS);
        require(expires.isAfter(issued), EXPIRES + " (" + expires + ") must be after " + ISSUED + " (" + issued + ")");
        require(maxBytes > 0, MAX_BYTES + " must be more than zero, but is " + maxBytes);
    }

    private static void requireProjectName(String project) {
        require(project != null && !project.isBlank(), PROJECT + " must not be blank");
        require(project.length() <= MAX_PROJECT_LENGTH, PROJECT + " must be at most " + MAX_PROJECT_LENGTH + " characters");
        // A stray space or newline would make a key fail its project check for reasons no one can see.
        require(project.strip().equals(project), PROJECT + " must not start or end with whitespace: " + quote(project));
        require(project.chars().noneMatch(Character::isISOControl), PROJECT + " must not contain control characters");
    }

    /** The claims as canonical JSON: members sorted by name, no whitespace. */
    public String toJson() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put(KEY_ID, keyId);
        members.put(PROJECT, project);
        members.put(SOURCE_TYPE, sourceType);
        members.put(TARGET_TYPE, targetType);
        members.put(ISSUED, issued.toString());
        members.put(EXPIRES, expires.toString());
        members.put(MAX_BYTES, maxBytes);
        return FlatJson.write(members);
    }

    /**
     * Reads claims from JSON.
     *
     * @throws IllegalArgumentException saying which member is missing, unknown, of the wrong type
     *                                  or invalid, or where the JSON is broken
     */
    public static LicenseClaims fromJson(String json) {
        Map<String, Object> members = FlatJson.read(json);
        for (String name : members.keySet()) {
            require(CLAIM_NAMES.contains(name), "unknown claim '" + name + "'");
        }
        return new LicenseClaims(string(members, KEY_ID), string(members, PROJECT), string(members, SOURCE_TYPE),
                string(members, TARGET_TYPE), instant(members, ISSUED), instant(members, EXPIRES),
                integer(members, MAX_BYTES));
    }

    /** Refuses the key unless it is for {@code expectedProject}. */
    public void requireProject(String expectedProject) {
        requireSame("project", project, expectedProject, LicenseException.Reason.WRONG_PROJECT);
    }

    /** Refuses the key unless it is for source databases of {@code expectedSourceType}. */
    public void requireSourceType(String expectedSourceType) {
        requireSame("source type", sourceType, expectedSourceType, LicenseException.Reason.WRONG_SOURCE_TYPE);
    }

    /** Refuses the key unless it is for target databases of {@code expectedTargetType}. */
    public void requireTargetType(String expectedTargetType) {
        requireSame("target type", targetType, expectedTargetType, LicenseException.Reason.WRONG_TARGET_TYPE);
    }

    private static void requireSame(String what, String claimed, String expected, LicenseException.Reason reason) {
        if (!claimed.equals(expected)) {
            throw new LicenseException(reason, "the license key is for " + what + " '" + claimed + "', not for " + what
                    + " " + quote(expected));
        }
    }

    /**
     * Refuses the key unless {@code now} lies in {@code [issued, expires)}, allowing
     * {@link #CLOCK_SKEW} at either end.
     */
    public void requireValidAt(Instant now) {
        if (!now.isBefore(expires.plus(CLOCK_SKEW))) {
            throw new LicenseException(LicenseException.Reason.EXPIRED,
                    "the license key expired at " + expires + " (it is now " + now.truncatedTo(ChronoUnit.SECONDS)
                            + ", and " + minutes(CLOCK_SKEW) + " of clock skew are allowed): ask for a renewed key");
        }
        if (now.plus(CLOCK_SKEW).isBefore(issued)) {
            throw new LicenseException(LicenseException.Reason.NOT_YET_VALID,
                    "the license key is valid only from " + issued + " (it is now " + now.truncatedTo(ChronoUnit.SECONDS)
                            + ", and " + minutes(CLOCK_SKEW) + " of clock skew are allowed): check this machine's "
                            + "clock, or wait until then");
        }
    }

    private static String minutes(Duration duration) {
        return duration.toMinutes() + " minutes";
    }

    private static String string(Map<String, Object> members, String name) {
        Object value = present(members, name);
        require(value instanceof String, "claim '" + name + "' must be a string, but is the integer " + value);
        return (String) value;
    }

    private static long integer(Map<String, Object> members, String name) {
        Object value = present(members, name);
        require(value instanceof Long, "claim '" + name + "' must be an integer, but is the string " + quote(value));
        return (Long) value;
    }

    private static Instant instant(Map<String, Object> members, String name) {
        String value = string(members, name);
        try {
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("claim '" + name + "' must be an ISO-8601 UTC instant such as "
                    + "2027-01-01T00:00:00Z, but is " + quote(value), e);
        }
    }

    private static Object present(Map<String, Object> members, String name) {
        Object value = members.get(name);
        require(value != null, "claim '" + name + "' is missing");
        return value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String quote(Object value) {
        return value == null ? "missing" : "'" + value + "'";
    }
}
