package io.tidemark.common.license;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.util.Objects;

import io.tidemark.common.license.LicenseException.Reason;

/**
 * Checks license keys offline against the vendor's Ed25519 public key. Thread-safe.
 *
 * <p>{@link #verify} answers "is this a genuine key, and what does it grant?";
 * {@link #check} also answers "does it grant this connector, now?". Each refusal is a
 * {@link LicenseException} whose reason names the check that failed.
 */
public final class LicenseVerifier {

    private final PublicKey publicKey;
    private final String fingerprint;

    /** @throws LicenseException {@code BAD_PUBLIC_KEY} when the key is not an Ed25519 public key */
    public LicenseVerifier(PublicKey publicKey) {
        this.publicKey = LicenseKeys.requireEd25519(publicKey);
        this.fingerprint = LicenseKeys.fingerprint(publicKey);
    }

    /**
     * A verifier for the public key as configuration gives it: PEM or bare base64, newlines
     * possibly turned into spaces (see {@link LicenseKeys#parsePublicKey}).
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} saying what is wrong with it
     */
    public static LicenseVerifier forPublicKey(String pemOrBase64) {
        return new LicenseVerifier(LicenseKeys.parsePublicKey(pemOrBase64));
    }

    /** The configured public key's {@linkplain LicenseKeys#fingerprint fingerprint}. */
    public String publicKeyFingerprint() {
        return fingerprint;
    }

    /**
     * The claims of a genuine key: well formed, and signed by the private key that belongs to the
     * configured public key. Says nothing about whether the claims fit this connector or this time.
     *
     * @throws LicenseException {@code MISSING}, {@code TRUNCATED}, {@code MALFORMED} or {@code BAD_SIGNATURE}
     */
    public LicenseClaims verify(String token) {
        LicenseToken parsed = LicenseToken.parse(token);
        if (!signatureVerifies(parsed)) {
            throw new LicenseException(Reason.BAD_SIGNATURE, "the license key's signature does not verify with the "
                    + "configured public key (" + fingerprint + ")" + keyIdOf(parsed) + ": the key was changed after it "
                    + "was issued, or it was issued with a private key that does not belong to this public key");
        }
        return parsed.unverifiedClaims();
    }

    /**
     * The claims of a genuine key that grants this project, source type and target type at
     * {@code now}.
     *
     * @throws LicenseException for any check of {@link #verify} and {@code WRONG_PROJECT},
     *                          {@code WRONG_SOURCE_TYPE}, {@code WRONG_TARGET_TYPE}, {@code EXPIRED}
     *                          or {@code NOT_YET_VALID}
     */
    public LicenseClaims check(String token, String expectedProject, String expectedSourceType,
                               String expectedTargetType, Instant now) {
        Objects.requireNonNull(expectedProject, "expectedProject");
        Objects.requireNonNull(expectedSourceType, "expectedSourceType");
        Objects.requireNonNull(expectedTargetType, "expectedTargetType");
        Objects.requireNonNull(now, "now");
        if (token == null || token.isBlank()) {
            throw LicenseToken.missing(expectedProject);
        }
        LicenseClaims claims = verify(token);
        claims.requireProject(expectedProject);
        claims.requireSourceType(expectedSourceType);
        claims.requireTargetType(expectedTargetType);
        claims.requireValidAt(now);
        return claims;
    }

    private boolean signatureVerifies(LicenseToken token) {
        try {
            Signature verifier = Signature.getInstance(LicenseKeys.ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(token.signingInput());
            return verifier.verify(token.signature());
        } catch (SignatureException e) {
            return false; // an encoding the algorithm rejects outright, e.g. an out-of-range scalar
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify with an " + LicenseKeys.ALGORITHM + " key", e);
        }
    }

    // Names the key in the refusal when its claims can be read at all: the operator can then tell
    // the vendor which key fails.
    private static String keyIdOf(LicenseToken token) {
        try {
            return "; its key_id is '" + token.unverifiedClaims().keyId() + "'";
        } catch (LicenseException e) {
            return "";
        }
    }
}
