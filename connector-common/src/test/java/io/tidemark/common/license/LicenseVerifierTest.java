package io.tidemark.common.license;

import static io.tidemark.common.license.LicenseClaimsTest.EXPIRES;
import static io.tidemark.common.license.LicenseClaimsTest.ISSUED;
import static io.tidemark.common.license.LicenseClaimsTest.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.IntStream;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tidemark.common.license.LicenseException.Reason;

class LicenseVerifierTest {

    private static final KeyPair VENDOR = LicenseKeys.generate();
    private static final LicenseIssuer ISSUER = new LicenseIssuer(VENDOR.getPrivate());
    private static final LicenseVerifier VERIFIER = new LicenseVerifier(VENDOR.getPublic());
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final String token = ISSUER.issue(claims());

    @Test
    void anIssuedKeyVerifiesAndCarriesItsClaims() {
        assertThat(VERIFIER.verify(token)).isEqualTo(claims());
        assertThat(VERIFIER.check(token, "acme-prod", "oracle", "postgresql", NOW)).isEqualTo(claims());
    }

    @Test
    void tokenIsVersionPayloadAndSignature() {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("tmk1");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).isEqualTo(claims().toJson());
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(64);
        assertThat(token).matches("[A-Za-z0-9_.-]+"); // no padding, nothing to escape in config files or shells
        assertThat(LicenseToken.parse(token).payloadJson()).isEqualTo(claims().toJson());
    }

    @Test
    void sameClaimsAndKeyGiveTheSameToken() {
        assertThat(ISSUER.issue(claims())).isEqualTo(token); // Ed25519 signatures are deterministic
    }

    @Test
    void whitespaceAnywhereIsIgnored() {
        assertThat(VERIFIER.verify("\n  " + token + " \r\n")).isEqualTo(claims());
        String wrapped = String.join("\n", token.split("(?<=\\G.{40})"));
        assertThat(wrapped).contains("\n");
        assertThat(VERIFIER.verify(wrapped)).isEqualTo(claims());
    }

    @Test
    void everyTruncationIsRefusedAsTruncated() {
        IntStream.range(1, token.length()).forEach(length -> {
            String cut = token.substring(0, length);
            assertRefused(() -> VERIFIER.verify(cut), Reason.TRUNCATED)
                    .as("cut to %d characters: %s", length, cut)
                    .hasMessageStartingWith("the license key is truncated: ")
                    .hasMessageEndingWith(". Copy the whole key: it starts with 'tmk1.' and has two dots");
        });
    }

    @Test
    void truncationsSayWhatIsMissing() {
        int secondDot = token.lastIndexOf('.');
        assertRefused(() -> VERIFIER.verify("tmk"), Reason.TRUNCATED)
                .hasMessageContaining("it ends before its 'tmk1.' prefix is complete");
        assertRefused(() -> VERIFIER.verify("tmk1."), Reason.TRUNCATED).hasMessageContaining("its claims part is missing");
        assertRefused(() -> VERIFIER.verify(token.substring(0, secondDot - 3)), Reason.TRUNCATED)
                .hasMessageContaining("its signature part is missing");
        assertRefused(() -> VERIFIER.verify(token.substring(0, secondDot + 1)), Reason.TRUNCATED)
                .hasMessageContaining("its signature part is missing");
        assertRefused(() -> VERIFIER.verify(token.substring(0, token.length() - 1)), Reason.TRUNCATED)
                .hasMessageContaining("its signature part is 85 characters long; an Ed25519 signature takes 86");
    }

    @Test
    void aKeyEditedAfterSigningIsRefused() {
        String json = claims().toJson();
        String forgedJson = json.replace("500000000000", "900000000000000");
        assertThat(forgedJson).isNotEqualTo(json);
        String forged = withPayload(token, forgedJson);
        assertRefused(() -> VERIFIER.verify(forged), Reason.BAD_SIGNATURE)
                .hasMessage("the license key's signature does not verify with the given public key ("
                        + VERIFIER.fingerprints().get(0) + "); its key_id is 'k-1': the key was changed after it was "
                        + "issued, or it was issued with a private key that does not belong to this public key");

        String otherProject = withPayload(token, json.replace("acme-prod", "acme-test"));
        assertRefused(() -> VERIFIER.check(otherProject, "acme-test", "oracle", "postgresql", NOW), Reason.BAD_SIGNATURE);
    }

    @Test
    void anEditedSignatureIsRefused() {
        int middle = token.lastIndexOf('.') + 40;
        char replacement = token.charAt(middle) == 'A' ? 'B' : 'A';
        String edited = token.substring(0, middle) + replacement + token.substring(middle + 1);
        assertRefused(() -> VERIFIER.verify(edited), Reason.BAD_SIGNATURE);
    }

    @Test
    void strayBitsInTheLastSignatureCharacterAreRefused() {
        // 64 bytes take 86 base64 characters, the last of which carries 2 bits; the decoder would
        // ignore the other 4, so a second spelling of the same key would verify. It must not.
        char last = token.charAt(token.length() - 1);
        int value = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last);
        char sameBits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(value ^ 1);
        String respelled = token.substring(0, token.length() - 1) + sameBits;
        assertThat(Base64.getUrlDecoder().decode(respelled.substring(respelled.lastIndexOf('.') + 1)))
                .isEqualTo(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)));
        assertRefused(() -> VERIFIER.verify(respelled), Reason.MALFORMED)
                .hasMessage("the license key is malformed: its signature part is not canonical base64url "
                        + "(stray bits in its last character)");
    }

    @Test
    void aKeySignedWithAnotherPrivateKeyIsRefused() {
        String resigned = new LicenseIssuer(LicenseKeys.generate().getPrivate()).issue(claims());
        assertRefused(() -> VERIFIER.verify(resigned), Reason.BAD_SIGNATURE)
                .hasMessageContaining("does not verify with the given public key (" + VERIFIER.fingerprints().get(0) + ")")
                .hasMessageContaining("its key_id is 'k-1'");
    }

    @Test
    void aKeyForAnotherProjectIsRefused() {
        assertRefused(() -> VERIFIER.check(token, "globex", "oracle", "postgresql", NOW), Reason.WRONG_PROJECT)
                .hasMessage("the license key is for project 'acme-prod', not for project 'globex'");
    }

    @Test
    void aKeyForAnotherSourceOrTargetTypeIsRefused() {
        assertRefused(() -> VERIFIER.check(token, "acme-prod", "postgresql", "postgresql", NOW), Reason.WRONG_SOURCE_TYPE)
                .hasMessage("the license key is for source type 'oracle', not for source type 'postgresql'");
        assertRefused(() -> VERIFIER.check(token, "acme-prod", "oracle", "oracle", NOW), Reason.WRONG_TARGET_TYPE)
                .hasMessage("the license key is for target type 'postgresql', not for target type 'oracle'");
    }

    @Test
    void anExpiredKeyIsRefusedSayingWhenItExpired() {
        assertRefused(() -> VERIFIER.check(token, "acme-prod", "oracle", "postgresql", EXPIRES.plusSeconds(86_400)),
                Reason.EXPIRED)
                .hasMessage("the license key expired at 2027-01-01T00:00:00Z (it is now 2027-01-02T00:00:00Z, and 5 minutes "
                        + "of clock skew are allowed): "
                        + "ask for a renewed key");
    }

    @Test
    void aKeyNotYetValidIsRefusedSayingFromWhen() {
        assertRefused(() -> VERIFIER.check(token, "acme-prod", "oracle", "postgresql", ISSUED.minusSeconds(86_400)),
                Reason.NOT_YET_VALID)
                .hasMessageStartingWith("the license key is valid only from 2026-01-15T10:00:00Z (it is now 2026-01-14T10:00:00Z, and 5 minutes of clock skew are allowed)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmk1.ab+c.", "tmk1.abc/d.", "tmk1.YWJj=."})
    void plainBase64IsNotBase64url(String prefix) {
        String bad = prefix + token.substring(token.lastIndexOf('.') + 1);
        assertRefused(() -> VERIFIER.verify(bad), Reason.MALFORMED)
                .hasMessage("the license key is malformed: its claims part has characters outside base64url (A-Z a-z 0-9 - _)");
    }

    @Test
    void base64urlOfImpossibleLengthIsRefused() {
        String bad = "tmk1.abcde." + token.substring(token.lastIndexOf('.') + 1);
        assertRefused(() -> VERIFIER.verify(bad), Reason.MALFORMED)
                .hasMessageStartingWith("the license key is malformed: its claims part is not valid base64url");
    }

    @Test
    void garbageIsRefusedAsNotAKey() {
        assertRefused(() -> VERIFIER.verify("hello world"), Reason.MALFORMED)
                .hasMessage("the license key is malformed: it does not start with 'tmk1.' (was its beginning cut off?)");
        assertRefused(() -> VERIFIER.verify("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2ln"), Reason.MALFORMED)
                .hasMessageContaining("it does not start with 'tmk1.'");
        assertRefused(() -> VERIFIER.verify(token.substring(1)), Reason.MALFORMED)
                .hasMessageContaining("was its beginning cut off?");
        assertRefused(() -> VERIFIER.verify(token + ".extra"), Reason.MALFORMED)
                .hasMessage("the license key is malformed: it has 4 dot-separated parts; a key has three (tmk1.<claims>.<signature>)");
        assertRefused(() -> VERIFIER.verify(token + "AAAA"), Reason.MALFORMED)
                .hasMessageContaining("its signature part is 90 characters long; an Ed25519 signature takes 86");
    }

    @Test
    void aKeyOfAnotherVersionIsRefusedByName() {
        assertRefused(() -> VERIFIER.verify(token.replace("tmk1.", "tmk2.")), Reason.MALFORMED)
                .hasMessage("the license key is malformed: it is a 'tmk2' key; this version of Tidemark reads 'tmk1' keys");
    }

    @Test
    void genuinelySignedButInvalidClaimsAreMalformed() {
        assertRefused(() -> VERIFIER.verify(ISSUER.sign("not json")), Reason.MALFORMED)
                .hasMessageStartingWith("the license key is malformed: its claims are invalid: expected '{'");
        assertRefused(() -> VERIFIER.verify(ISSUER.sign(claims().toJson().replace("{", "{\"max_rows\":1,"))), Reason.MALFORMED)
                .hasMessage("the license key is malformed: its claims are invalid: unknown claim 'max_rows'");
        assertRefused(() -> VERIFIER.verify(ISSUER.sign(claims().toJson().replace("}", ",\"project\":\"x\"}"))),
                Reason.MALFORMED)
                .hasMessageContaining("member 'project' appears twice");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" \n\t "})
    void noKeySaysHowToGetOne(String missing) {
        assertRefused(() -> VERIFIER.verify(missing), Reason.MISSING)
                .hasMessage("no license key is configured. Ask your Tidemark vendor for one or, if you hold the license "
                        + "signing key, issue one with: bin/tidemark license issue --private-key license-private.pem "
                        + "--project <project> --max-bytes <size, e.g. 500GB> --expires <YYYY-MM-DD> (see docs/license.md); "
                        + "then set it as license.key in the sink connector's configuration");
        assertRefused(() -> VERIFIER.check(missing, "acme-prod", "oracle", "postgresql", NOW), Reason.MISSING)
                .hasMessageContaining("--project acme-prod --max-bytes");
    }

    @Test
    void verifierTakesAGivenPublicKeyAsAFileOrOptionGivesIt() {
        String spaced = LicenseKeys.toPem(VENDOR.getPublic()).replace('\n', ' ');
        LicenseVerifier fromText = LicenseVerifier.forPublicKey(spaced);
        assertThat(fromText.verify(token)).isEqualTo(claims());
        assertThat(fromText.fingerprints()).isEqualTo(VERIFIER.fingerprints());
        assertRefused(() -> LicenseVerifier.forPublicKey(LicenseKeys.toPem(VENDOR.getPrivate())), Reason.BAD_PUBLIC_KEY)
                .hasMessageContaining("it is a private key");
    }

    private static String withPayload(String token, String json) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
