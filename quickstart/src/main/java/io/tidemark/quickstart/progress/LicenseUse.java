package io.tidemark.quickstart.progress;

/**
 * The project's row of {@code <control>.license_usage}: bytes applied so far against the allowance
 * (a key's volume, or the trial's).
 *
 * @param maxBytes the allowance, or null when the sink has not recorded one
 */
public record LicenseUse(String state, long usedBytes, Long maxBytes, String keyId) {
}
