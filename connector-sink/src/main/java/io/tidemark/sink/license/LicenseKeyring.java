package io.tidemark.sink.license;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseException;
import io.tidemark.common.license.LicenseVerifier;

/**
 * Chooses the license key to meter against among those offered (the connector's
 * {@code license.key} and the rows of {@code <control>.license_key}): of the keys that verify and
 * name this project, source and target, the newest that is valid now; failing that, the newest
 * expired one (so the state can say it expired). Every refused key is kept with its reason. No key
 * offered at all means the trial allowance ({@link Choice#onTrial()}).
 */
public final class LicenseKeyring {

    /** A key offered, and where it came from ("license.key", "license_key row 7"). */
    public record Candidate(String origin, String token) {
    }

    /** The outcome: the chosen key (or null) and why each other key was refused. */
    public record Choice(LicenseClaims chosen, String chosenOrigin, List<String> refusals) {

        public boolean validAt(Instant now) {
            if (chosen == null) {
                return false;
            }
            try {
                chosen.requireValidAt(now);
                return true;
            } catch (LicenseException e) {
                return false;
            }
        }

        /**
         * No key offered at all (none configured, no row for the project): the project runs on the
         * trial allowance. A key offered and refused is no trial: it stays a refusal.
         */
        public boolean onTrial() {
            return chosen == null && refusals.isEmpty();
        }

        /** Why there is no usable key, for logs, status and exceptions. */
        public String explanation() {
            if (refusals.isEmpty()) {
                return LicenseException.missing(null).getMessage();
            }
            return String.join("; ", refusals);
        }
    }

    private final LicenseVerifier verifier;
    private final String project;
    private final String sourceType;
    private final String targetType;

    public LicenseKeyring(LicenseVerifier verifier, String project, String sourceType, String targetType) {
        this.verifier = verifier;
        this.project = project;
        this.sourceType = sourceType;
        this.targetType = targetType;
    }

    public Choice choose(List<Candidate> candidates, Instant now) {
        List<String> refusals = new ArrayList<>();
        List<LicenseClaims> usable = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (Candidate candidate : candidates) {
            try {
                LicenseClaims claims = verifier.verify(candidate.token());
                claims.requireProject(project);
                claims.requireSourceType(sourceType);
                claims.requireTargetType(targetType);
                usable.add(claims);
                origins.add(candidate.origin());
            } catch (LicenseException e) {
                refusals.add(candidate.origin() + ": " + e.getMessage());
            }
        }
        Comparator<LicenseClaims> newest = Comparator.comparing(LicenseClaims::issued)
                .thenComparingLong(LicenseClaims::maxBytes);
        LicenseClaims best = null;
        String bestOrigin = null;
        for (int i = 0; i < usable.size(); i++) {
            LicenseClaims c = usable.get(i);
            boolean valid = isValid(c, now);
            boolean bestValid = best != null && isValid(best, now);
            if (best == null || (valid && !bestValid) || (valid == bestValid && newest.compare(c, best) > 0)) {
                best = c;
                bestOrigin = origins.get(i);
            }
        }
        if (best != null && !isValid(best, now)) {
            try {
                best.requireValidAt(now);
            } catch (LicenseException e) {
                refusals.add(bestOrigin + ": " + e.getMessage());
            }
        }
        return new Choice(best, bestOrigin, refusals);
    }

    private static boolean isValid(LicenseClaims claims, Instant now) {
        try {
            claims.requireValidAt(now);
            return true;
        } catch (LicenseException e) {
            return false;
        }
    }
}
