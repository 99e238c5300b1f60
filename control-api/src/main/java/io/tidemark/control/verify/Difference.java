package io.tidemark.control.verify;

import java.util.List;

/**
 * One differing row: its key, what differs, and both canonical values of each differing column
 * (values capped at {@link #VALUE_CAP} characters).
 *
 * @param kind    {@code MISSING} (in the source, not the target), {@code EXTRA} (in the target only),
 *                {@code DIFFERENT} (columns differ)
 * @param verdict {@code OUT_OF_SYNC}, or {@code IN_FLIGHT} when the confirm pass saw it change or settle
 */
public record Difference(List<String> key, String kind, List<String> columns, List<String> sourceValues,
                         List<String> targetValues, String verdict) {

    public static final int VALUE_CAP = 200;

    public Difference withVerdict(String v) {
        return new Difference(key, kind, columns, sourceValues, targetValues, v);
    }

    static String cap(String value) {
        return value == null || value.length() <= VALUE_CAP ? value : value.substring(0, VALUE_CAP) + "…";
    }

    /** Compares two rows' canonical values (key first) and names the differing columns; null when equal. */
    static Difference between(List<String> names, int keyCount, String[] source, String[] target) {
        String[] any = source != null ? source : target;
        List<String> key = java.util.Arrays.asList(any).subList(0, keyCount);
        if (source == null || target == null) {
            return new Difference(key, source == null ? "EXTRA" : "MISSING", List.of(), List.of(), List.of(), "OUT_OF_SYNC");
        }
        List<String> columns = new java.util.ArrayList<>();
        List<String> sv = new java.util.ArrayList<>();
        List<String> tv = new java.util.ArrayList<>();
        for (int i = keyCount; i < names.size(); i++) {
            if (!java.util.Objects.equals(source[i], target[i])) {
                columns.add(names.get(i));
                sv.add(cap(source[i]));
                tv.add(cap(target[i]));
            }
        }
        return columns.isEmpty() ? null : new Difference(key, "DIFFERENT", columns, sv, tv, "OUT_OF_SYNC");
    }
}
