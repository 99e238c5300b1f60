package io.tidemark.common.license;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Issues license keys: signs claims with the vendor's Ed25519 private key. The private key never
 * goes near a Connect worker; only the CLI ({@code bin/tidemark license issue}) uses this class.
 */
public final class LicenseIssuer {

    private final PrivateKey privateKey;

    /** @throws IllegalArgumentException when the key is not an Ed25519 private key */
    public LicenseIssuer(PrivateKey privateKey) {
        this.privateKey = LicenseKeys.requireEd25519(privateKey);
    }

    /** The license key for these claims: {@code tmk1.<payload>.<signature>} (see {@link LicenseToken}). */
    public String issue(LicenseClaims claims) {
        return sign(claims.toJson());
    }

    // Package-private so that tests can sign payloads that LicenseClaims would never write.
    String sign(String claimsJson) {
        String payloadPart = LicenseToken.payloadPart(claimsJson);
        try {
            Signature signer = Signature.getInstance(LicenseKeys.ALGORITHM);
            signer.initSign(privateKey);
            signer.update(LicenseToken.signingInput(payloadPart));
            return LicenseToken.assemble(payloadPart, signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an " + LicenseKeys.ALGORITHM + " key", e);
        }
    }
}
