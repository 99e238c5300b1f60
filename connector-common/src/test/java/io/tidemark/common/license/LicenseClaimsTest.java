package io.tidemark.common.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tidemark.common.license.LicenseException.Reason;

class LicenseClaimsTest {

    static final Instant ISSUED = Instant.parse("2026-01-15T10:00:00Z");
    static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");

    static LicenseClaims claims() {
        return new LicenseClaims("k-1", "acme-prod", "oracle", "postgresql", ISSUED, EXPIRES, 500_000_000_000L);
    }

    @Test
    void canonicalJsonHasSortedMembersAndSecondPrecisionInstants() {
        assertThat(claims().toJson()).isEqualTo("{\"expires\":\"2027-01-01T00:00:00Z\",\"issued\":\"2026-01-15T10:00:00Z\","
                + "\"key_id\":\"k-1\",\"max_bytes\":500000000000,\"project\":\"acme-prod\",\"source_type\":\"oracle\","
                + "\"target_type\":\"postgresql\"}");
    }

    @Test
    void jsonRoundTrips() {
        LicenseClaims odd = new LicenseClaims("K.9_x", "Ünïcode \"quoted\" project", "oracle", "postgresql",
                ISSUED, EXPIRES, Long.MAX_VALUE);
        assertThat(LicenseClaims.fromJson(odd.toJson())).isEqualTo(odd);
        assertThat(LicenseClaims.fromJson(claims().toJson())).isEqualTo(claims());
    }

    @Test
    void keepsInstantsToTheSecond() {
        LicenseClaims claims = new LicenseClaims("k", "p", "oracle", "postgresql",
                Instant.parse("2026-01-15T10:00:00.999Z"), Instant.parse("2027-01-01T00:00:00.5Z"), 1);
        assertThat(claims.issued()).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(claims.expires()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(LicenseClaims.fromJson(claims.toJson())).isEqualTo(claims);
    }

    @Test
    void validatesEachClaim() {
        assertThatThrownBy(() -> new LicenseClaims("k", " ", "oracle", "postgresql", ISSUED, EXPIRES, 1))
                .hasMessage("project must not be blank");
        assertThatThrownBy(() -> new LicenseClaims("k", null, "oracle", "postgresql", ISSUED, EXPIRES, 1))
                .hasMessage("project must not be blank");
        assertThatThrownBy(() -> new LicenseClaims("k", "acme ", "oracle", "postgresql", ISSUED, EXPIRES, 1))
                .hasMessage("project must not start or end with whitespace: 'acme '");
        assertThatThrownBy(() -> new LicenseClaims("k", "a\u0000b", "oracle", "postgresql", ISSUED, EXPIRES, 1))
                .hasMessage("project must not contain control characters");
        assertThatThrownBy(() -> new LicenseClaims("k", "p", "oracle", "postgresql", ISSUED, EXPIRES, 0))
                .hasMessage("max_bytes must be more than zero, but is 0");
        assertThatThrownBy(() -> new LicenseClaims("k", "p", "oracle", "postgresql", ISSUED, EXPIRES, -5))
                .hasMessage("max_bytes must be more than zero, but is -5");
        assertThatThrownBy(() -> new LicenseClaims("k", "p", "oracle", "postgresql", EXPIRES, EXPIRES, 1))
                .hasMessage("expires (2027-01-01T00:00:00Z) must be after issued (2027-01-01T00:00:00Z)");
        assertThatThrownBy(() -> new LicenseClaims("k", "p", "oracle", "postgresql", EXPIRES, ISSUED, 1))
                .hasMessageStartingWith("expires (2026-01-15T10:00:00Z) must be after issued");
        assertThatThrownBy(() -> new LicenseClaims("has space", "p", "oracle", "postgresql", ISSUED, EXPIRES, 1))
                .hasMessage("key_id must be 1 to 64 letters, digits, '.', '_' or '-', but is 'has space'");
        assertThatThrownBy(() -> new LicenseClaims("", "p", "oracle", "postgresql", ISSUED, EXPIRES, 1))
                .hasMessageStartingWith("key_id must be");
        assertThatThrownBy(() -> new LicenseClaims("k", "p", "Oracle", "postgresql", ISSUED, EXPIRES, 1))
                .hasMessage("source_type must be a lowercase name such as 'oracle', but is 'Oracle'");
        assertThatThrownBy(() -> new LicenseClaims("k", "p", "oracle", null, ISSUED, EXPIRES, 1))
                .hasMessage("target_type must be a lowercase name such as 'postgresql', but is missing");
    }

    @Test
    void readingNamesTheMissingClaim() {
        String json = claims().toJson().replace("\"key_id\":\"k-1\",", "");
        assertThatThrownBy(() -> LicenseClaims.fromJson(json)).hasMessage("claim 'key_id' is missing");
    }

    @Test
    void readingRefusesUnknownClaims() {
        String json = claims().toJson().replace("{", "{\"max_rows\":5,");
        assertThatThrownBy(() -> LicenseClaims.fromJson(json)).hasMessage("unknown claim 'max_rows'");
    }

    @Test
    void readingNamesClaimsOfTheWrongType() {
        assertThatThrownBy(() -> LicenseClaims.fromJson(claims().toJson().replace("500000000000", "\"500GB\"")))
                .hasMessage("claim 'max_bytes' must be an integer, but is the string '500GB'");
        assertThatThrownBy(() -> LicenseClaims.fromJson(claims().toJson().replace("\"acme-prod\"", "42")))
                .hasMessage("claim 'project' must be a string, but is the integer 42");
        assertThatThrownBy(() -> LicenseClaims.fromJson(claims().toJson().replace("2027-01-01T00:00:00Z", "2027-01-01")))
                .hasMessageStartingWith("claim 'expires' must be an ISO-8601 UTC instant such as 2027-01-01T00:00:00Z, "
                        + "but is '2027-01-01'");
    }

    @Test
    void validityWindowIncludesIssuedAndExcludesExpiresPlusTheSkew() {
        LicenseClaims claims = claims();
        assertThatCode(() -> claims.requireValidAt(ISSUED)).doesNotThrowAnyException();
        assertThatCode(() -> claims.requireValidAt(EXPIRES.minusSeconds(1))).doesNotThrowAnyException();
        assertThatCode(() -> claims.requireValidAt(EXPIRES)).doesNotThrowAnyException();
        assertThatCode(() -> claims.requireValidAt(EXPIRES.plus(LicenseClaims.CLOCK_SKEW).minusMillis(1)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> claims.requireValidAt(EXPIRES.plus(LicenseClaims.CLOCK_SKEW)))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
                .hasMessage("the license key expired at 2027-01-01T00:00:00Z (it is now 2027-01-01T00:05:00Z, and "
                        + "5 minutes of clock skew are allowed): ask for a renewed key");
    }

    @Test
    void theSkewIsFiveMinutesEachWay() {
        assertThat(LicenseClaims.CLOCK_SKEW).isEqualTo(java.time.Duration.ofMinutes(5)); // docs/license.md says so
    }

    @Test
    void aClockSlightlyBehindTheIssuerStillAcceptsAFreshKey() {
        LicenseClaims claims = claims();
        assertThatCode(() -> claims.requireValidAt(ISSUED.minus(LicenseClaims.CLOCK_SKEW)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> claims.requireValidAt(ISSUED.minus(LicenseClaims.CLOCK_SKEW).minusSeconds(1)))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID))
                .hasMessage("the license key is valid only from 2026-01-15T10:00:00Z (it is now 2026-01-15T09:54:59Z, "
                        + "and 5 minutes of clock skew are allowed): check this machine's clock, or wait until then");
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme-test", "ACME-PROD", "acme-prod "})
    void projectIsComparedExactly(String other) {
        assertThatThrownBy(() -> claims().requireProject(other))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PROJECT))
                .hasMessage("the license key is for project 'acme-prod', not for project '" + other + "'");
        assertThatCode(() -> claims().requireProject("acme-prod")).doesNotThrowAnyException();
    }
}
