package io.tidemark.control.verify;

/**
 * One column's canonical form on both sides: SQL expressions (with {@code %1$s} for the column)
 * that yield the same text for the same value, as the sink's mapping writes it.
 *
 * @param target SQL on the PostgreSQL target
 * @param source SQL on the source (PostgreSQL or Oracle)
 * @param rule   the rule's name, as docs/verification.md lists it
 * @param hashed true when the form is a hash of the value (LOBs, unbounded text): differences show hashes
 */
public record Canonical(String target, String source, String rule, boolean hashed) {

    public String targetOf(String column) {
        return String.format(target, column);
    }

    public String sourceOf(String column) {
        return String.format(source, column);
    }
}
