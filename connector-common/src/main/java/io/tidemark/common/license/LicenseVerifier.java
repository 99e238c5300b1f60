package io.tidemark.common.license;

import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.tidemark.common.license.LicenseException.Reason;

/**
 * Checks license keys offline against Ed25519 public keys, the trust anchors: a key is genuine
 * when any of them verifies its signature. The sink trusts only the {@linkplain #builtIn() vendor's
 * keys built into the plugin}; the CLI may also check against one given public key (the vendor
 * trying a new key pair). Thread-safe.
 *
 * <p>{@link #verify} answers "is this a genuine key, and what does it grant?";
 * {@link #check} also answers "does it grant this connector, now?". Each refusal is a
 * {@link LicenseException} whose reason names the check that failed.
 */
public final class LicenseVerifier {

    private final List<PublicKey> anchors;
    private final List<String> fingerprints;
    /** The anchors in a refusal's words, and who could have signed a key they verify. */
    private final String anchorsText;
    private final String signerText;

    /** @throws LicenseException {@code BAD_PUBLIC_KEY} when the key is not an Ed25519 public key */
    public LicenseVerifier(PublicKey publicKey) {
        this(List.of(LicenseKeys.requireEd25519(publicKey)), "the given public key",
                "it was issued with a private key that does not belong to this public key");
    }

    private LicenseVerifier(List<PublicKey> anchors, String anchorsText, String signerText) {
        this.anchors = List.copyOf(anchors);
        this.fingerprints = this.anchors.stream().map(LicenseKeys::fingerprint).toList();
        this.anchorsText = anchorsText + " (" + String.join(", ", fingerprints) + ")";
        this.signerText = signerText;
    }

    /**
     * A verifier for one public key as a file or an option gives it: PEM or bare base64, newlines
     * possibly turned into spaces (see {@link LicenseKeys#parsePublicKey}). The CLI's
     * {@code --public-key}; the sink never takes a key from outside the plugin.
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} saying what is wrong with it
     */
    public static LicenseVerifier forPublicKey(String pemOrBase64) {
        return new LicenseVerifier(LicenseKeys.parsePublicKey(pemOrBase64));
    }

    /**
     * A verifier that trusts the vendor's public keys built into the plugin this class was loaded
     * from ({@link VendorKeys#builtIn}), and nothing else.
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} when the plugin carries no usable vendor key
     */
    public static LicenseVerifier builtIn() {
        return vendor(VendorKeys.builtIn());
    }

    /** As {@link #builtIn()}, with the vendor keys of another jar or directory (the CLI's tests). */
    public static LicenseVerifier builtIn(URL location) {
        return vendor(VendorKeys.load(location));
    }

    private static LicenseVerifier vendor(List<PublicKey> keys) {
        return new LicenseVerifier(keys, "any of the vendor's public keys built into Tidemark",
                "it was not issued by the Tidemark vendor (a key signed with a pair made by bin/tidemark license "
                        + "keygen verifies only with that pair's public key, and the sink reads no public key from its "
                        + "configuration)");
    }

    /** The trusted public keys' {@linkplain LicenseKeys#fingerprint fingerprints}, in order. */
    public List<String> fingerprints() {
        return fingerprints;
    }

    /**
     * The claims of a genuine key: well formed, and signed by the private key that belongs to one
     * of the trusted public keys. Says nothing about whether the claims fit this connector or this time.
     *
     * @throws LicenseException {@code MISSING}, {@code TRUNCATED}, {@code MALFORMED} or
     *                          {@code BAD_SIGNATURE} (naming the fingerprints tried)
     */
    public LicenseClaims verify(String token) {
        LicenseToken parsed = LicenseToken.parse(token);
        if (anchors.stream().noneMatch(anchor -> signatureVerifies(anchor, parsed))) {
            throw new LicenseException(Reason.BAD_SIGNATURE, "the license key's signature does not verify with "
                    + anchorsText + keyIdOf(parsed) + ": the key was changed after it was issued, or " + signerText);
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

    private static boolean signatureVerifies(PublicKey anchor, LicenseToken token) {
        try {
            Signature verifier = Signature.getInstance(LicenseKeys.ALGORITHM);
            verifier.initVerify(anchor);
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
