package io.tidemark.source.config;

/** A configuration key whose value cannot work with iteration markers, and why. */
public record ConfigProblem(String key, String message) {
}
