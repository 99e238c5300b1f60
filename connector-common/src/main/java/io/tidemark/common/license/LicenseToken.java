package io.tidemark.common.license;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

import io.tidemark.common.license.LicenseException.Reason;

/**
 * The text form of a license key, taken apart but <b>not verified</b>:
 * {@code tmk1.<payload>.<signature>}, where {@code payload} is the base64url (no padding) of the
 * claims as UTF-8 JSON and {@code signature} the base64url of the 64-byte Ed25519 signature over
 * the ASCII bytes of {@code tmk1.<payload>}. Signing the version prefix too means a key cannot be
 * passed off as another version's.
 *
 * <p>Whitespace anywhere in the text is ignored (none of the key's characters is whitespace), so a
 * key survives copy-paste, line-wrapping e-mail, and config providers that turn newlines into
 * spaces. Use {@link LicenseVerifier} to trust a key; this class serves it and tools that show
 * what a key claims before or without checking it.
 */
public final class LicenseToken {

    /** The version prefix every Tidemark license key starts with. */
    public static final String PREFIX = "tmk1.";

    static final int SIGNATURE_BYTES = 64;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern BASE64URL_TEXT = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern OTHER_VERSION = Pattern.compile("tmk[0-9]+\\..*");

    private final String payloadPart;
    private final String payloadJson;
    private final byte[] signature;

    private LicenseToken(String payloadPart, String payloadJson, byte[] signature) {
        this.payloadPart = payloadPart;
        this.payloadJson = payloadJson;
        this.signature = signature;
    }

    /**
     * Takes a key apart.
     *
     * @throws LicenseException {@code MISSING} for null or blank text, {@code TRUNCATED} when a
     *                          part or the end of the signature is missing, {@code MALFORMED}
     *                          for anything else that is not a well-formed {@code tmk1} key
     */
    public static LicenseToken parse(String text) {
        String token = text == null ? "" : WHITESPACE.matcher(text).replaceAll("");
        if (token.isEmpty()) {
            throw missing(null);
        }
        if (!token.startsWith(PREFIX)) {
            if (PREFIX.startsWith(token)) {
                throw truncated("it ends before its '" + PREFIX + "' prefix is complete");
            }
            if (OTHER_VERSION.matcher(token).matches()) {
                throw malformed("it is a '" + token.substring(0, token.indexOf('.'))
                        + "' key; this version of Tidemark reads '" + PREFIX.substring(0, PREFIX.length() - 1) + "' keys");
            }
            throw malformed("it does not start with '" + PREFIX + "' (was its beginning cut off?)");
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length > 2) {
            throw malformed("it has " + (parts.length + 1) + " dot-separated parts; a key has three ("
                    + PREFIX + "<claims>.<signature>)");
        }
        String payloadPart = parts[0];
        if (payloadPart.isEmpty()) {
            throw truncated("its claims part is missing");
        }
        if (parts.length < 2 || parts[1].isEmpty()) {
            throw truncated("its signature part is missing");
        }
        String signaturePart = parts[1];
        byte[] payload = decode(payloadPart, "claims");
        int signatureLength = BASE64URL.encodeToString(new byte[SIGNATURE_BYTES]).length();
        if (signaturePart.length() < signatureLength) {
            throw truncated("its signature part is " + signaturePart.length() + " characters long; an Ed25519 signature takes "
                    + signatureLength);
        }
        if (signaturePart.length() > signatureLength) {
            throw malformed("its signature part is " + signaturePart.length() + " characters long; an Ed25519 signature takes "
                    + signatureLength);
        }
        byte[] signature = decode(signaturePart, "signature");
        return new LicenseToken(payloadPart, utf8(payload), signature);
    }

    /** Puts a key together from its payload part and the signature over its {@linkplain #signingInput(String) signing input}. */
    static String assemble(String payloadPart, byte[] signature) {
        return PREFIX + payloadPart + "." + BASE64URL.encodeToString(signature);
    }

    static String payloadPart(String claimsJson) {
        return BASE64URL.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
    }

    /** What the signature covers: the ASCII bytes of {@code tmk1.<payload>}. */
    static byte[] signingInput(String payloadPart) {
        return (PREFIX + payloadPart).getBytes(StandardCharsets.US_ASCII);
    }

    byte[] signingInput() {
        return signingInput(payloadPart);
    }

    byte[] signature() {
        return signature.clone();
    }

    /** The claims JSON exactly as the key carries it. Unverified. */
    String payloadJson() {
        return payloadJson;
    }

    /**
     * The claims the key carries, <b>not verified</b>: for showing what a key says, never for
     * granting anything.
     *
     * @throws LicenseException {@code MALFORMED} when the claims are not valid
     */
    public LicenseClaims unverifiedClaims() {
        try {
            return LicenseClaims.fromJson(payloadJson);
        } catch (IllegalArgumentException e) {
            throw malformed("its claims are invalid: " + e.getMessage());
        }
    }

    static LicenseException missing(String project) {
        return LicenseException.missing(project);
    }

    private static byte[] decode(String part, String name) {
        if (!BASE64URL_TEXT.matcher(part).matches()) {
            throw malformed("its " + name + " part has characters outside base64url (A-Z a-z 0-9 - _)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw malformed("its " + name + " part is not valid base64url: " + e.getMessage());
        }
        // The decoder ignores stray bits in the last character; refusing them keeps one text per key.
        if (!BASE64URL.encodeToString(bytes).equals(part)) {
            throw malformed("its " + name + " part is not canonical base64url (stray bits in its last character)");
        }
        return bytes;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("its claims part is not UTF-8 text");
        }
    }

    private static LicenseException truncated(String detail) {
        return new LicenseException(Reason.TRUNCATED, "the license key is truncated: " + detail
                + ". Copy the whole key: it starts with '" + PREFIX + "' and has two dots");
    }

    private static LicenseException malformed(String detail) {
        return new LicenseException(Reason.MALFORMED, "the license key is malformed: " + detail);
    }
}
