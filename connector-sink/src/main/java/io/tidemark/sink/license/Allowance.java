package io.tidemark.sink.license;

import java.time.Instant;

import io.tidemark.common.license.LicenseClaims;

/**
 * What a project may apply: the volume of the license key it meters against, or, when no key is
 * offered at all, the trial allowance. A key that is offered but refused gives no allowance: a
 * refusal never falls back to the trial.
 *
 * @param keyId    the key's id; null for the trial
 * @param maxBytes the bytes the project may have applied in all
 * @param expires  when the key stops; null for the trial, which does not expire
 * @param origin   where the key came from ("license.key", "license_key row 7"), or "trial"
 */
record Allowance(String keyId, long maxBytes, Instant expires, String origin) {

    /** The trial allowance: 1 GB (10^9 bytes) of applied data per project, enough for a quickstart. */
    static final long TRIAL_BYTES = 1_000_000_000L;

    static Allowance trial() {
        return new Allowance(null, TRIAL_BYTES, null, "trial");
    }

    static Allowance of(LicenseClaims key, String origin) {
        return new Allowance(key.keyId(), key.maxBytes(), key.expires(), origin);
    }

    boolean isTrial() {
        return keyId == null;
    }

    /** "key acme-1" or "the trial allowance", for messages. */
    String describe() {
        return isTrial() ? "the trial allowance" : "key " + keyId;
    }
}
