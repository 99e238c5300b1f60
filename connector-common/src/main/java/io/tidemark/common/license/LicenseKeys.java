package io.tidemark.common.license;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tidemark.common.license.LicenseException.Reason;

/**
 * The Ed25519 key pair that signs and checks license keys: generating it, and writing and reading
 * it as PEM ({@code PUBLIC KEY}: X.509 SubjectPublicKeyInfo; {@code PRIVATE KEY}: PKCS#8), the
 * forms OpenSSL reads and writes too.
 *
 * <p>A public key from configuration may be PEM or the bare base64 of its DER, and may have been
 * mangled on the way: newlines turned into spaces, or into the two characters {@code \n}
 * (environment variables, JSON strings). Neither whitespace nor a backslash can be part of base64,
 * so both are ignored.
 */
public final class LicenseKeys {

    public static final String ALGORITHM = "Ed25519";

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern ESCAPED_NEWLINE = Pattern.compile("\\\\[nr]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String BAD_PUBLIC_KEY_PREFIX = "the license public key is unusable: ";

    private LicenseKeys() {
    }

    /** A new Ed25519 key pair: the private key issues license keys, the public key checks them. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + " (every Java 15+ JDK has)", e);
        }
    }

    /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public static String toPem(PublicKey key) {
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    /** The private key as PEM ({@code -----BEGIN PRIVATE KEY-----}, unencrypted PKCS#8). */
    public static String toPem(PrivateKey key) {
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    /**
     * A short, stable name for a public key, for telling keys apart in output and messages:
     * {@code sha256:} and the first 16 hex digits of the SHA-256 of its X.509 DER (the same as
     * {@code openssl pkey -pubin -in license-public.pem -outform DER | sha256sum}).
     */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Reads the public key that checks license keys, given as PEM or as the bare base64 of its
     * X.509 DER.
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} saying what was given instead: nothing, a
     *                          private key, another kind of key, or text that does not decode
     */
    public static PublicKey parsePublicKey(String text) {
        Encoded key = unwrap(text, PUBLIC_LABEL, LicenseKeys::badPublicKey)
                .orElseThrow(() -> badPublicKey("none is given; give the contents of license-public.pem (made by "
                        + "bin/tidemark license keygen)"));
        if (key.label() != null && key.label().contains(PRIVATE_LABEL)) {
            throw privateKeyGivenAsPublic("PEM '-----BEGIN " + key.label() + "-----'");
        }
        if (key.label() != null && !key.label().equals(PUBLIC_LABEL)) {
            throw badPublicKey("PEM '-----BEGIN " + key.label() + "-----' is not a public key; expected '-----BEGIN "
                    + PUBLIC_LABEL + "-----'");
        }
        try {
            return keyFactory().generatePublic(new X509EncodedKeySpec(key.der()));
        } catch (InvalidKeySpecException e) {
            if (isEd25519PrivateKey(key.der())) {
                throw privateKeyGivenAsPublic("the base64 of a PKCS#8 private key");
            }
            throw badPublicKey("it is not an " + ALGORITHM + " public key" + otherKindOf(key.der()), e);
        }
    }

    /**
     * Reads every PEM public key in the text, in order: a file of the vendor's keys holds one per
     * signing key in use (see {@link VendorKeys}). Text between the blocks is ignored.
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} when there is no PEM block, or a block is not
     *                          an Ed25519 public key (saying which, counting from 1)
     */
    public static List<PublicKey> parsePublicKeys(String text) {
        String pemText = text == null ? "" : text;
        List<PublicKey> keys = new ArrayList<>();
        Matcher pem = PEM.matcher(pemText);
        while (pem.find()) {
            try {
                keys.add(parsePublicKey(pem.group()));
            } catch (LicenseException e) {
                throw badPublicKey("PEM block " + (keys.size() + 1) + ": "
                        + e.getMessage().substring(BAD_PUBLIC_KEY_PREFIX.length()), e);
            }
        }
        if (pemText.split("-----BEGIN ", -1).length - 1 > keys.size()) {
            throw badPublicKey("PEM block " + (keys.size() + 1) + " has no matching '-----END ...-----' line (was it cut off?)");
        }
        if (keys.isEmpty()) {
            throw badPublicKey("it holds no PEM public key ('-----BEGIN " + PUBLIC_LABEL + "-----')");
        }
        return keys;
    }

    /**
     * Reads the private key that issues license keys, given as PEM ({@code -----BEGIN PRIVATE
     * KEY-----}) or as the bare base64 of its PKCS#8 DER.
     *
     * @throws IllegalArgumentException saying what was given instead
     */
    public static PrivateKey parsePrivateKey(String text) {
        Function<String, IllegalArgumentException> unusable =
                detail -> new IllegalArgumentException("the private key is unusable: " + detail);
        Encoded key = unwrap(text, PRIVATE_LABEL, unusable)
                .orElseThrow(() -> new IllegalArgumentException("the private key is empty"));
        if (PUBLIC_LABEL.equals(key.label())) {
            throw new IllegalArgumentException("this is a public key; issuing a license key needs the private key "
                    + "(license-private.pem)");
        }
        if (key.label() != null && !key.label().equals(PRIVATE_LABEL)) {
            throw unusable.apply("PEM '-----BEGIN " + key.label() + "-----' is not an unencrypted PKCS#8 private key; "
                    + "expected '-----BEGIN " + PRIVATE_LABEL + "-----'");
        }
        try {
            return keyFactory().generatePrivate(new PKCS8EncodedKeySpec(key.der()));
        } catch (InvalidKeySpecException e) {
            throw unusable.apply("it is not an " + ALGORITHM + " private key (PKCS#8)");
        }
    }

    /** Key text taken apart: a PEM block's label and DER, or (label null) the DER of bare base64. */
    private record Encoded(String label, byte[] der) {
    }

    /**
     * Finds the DER in key text, PEM or bare base64; empty for blank text. Each caller says how it
     * refuses, since the sink's public key and the CLI's private key fail in different ways.
     */
    private static Optional<Encoded> unwrap(String text, String expectedLabel,
                                            Function<String, ? extends RuntimeException> refuse) {
        String cleaned = text == null ? "" : ESCAPED_NEWLINE.matcher(text).replaceAll(" ").strip();
        if (cleaned.isEmpty()) {
            return Optional.empty();
        }
        Matcher pem = PEM.matcher(cleaned);
        if (pem.find()) {
            return Optional.of(new Encoded(pem.group(1), base64(pem.group(2), refuse, "the body of its PEM is not base64")));
        }
        if (cleaned.contains("-----BEGIN")) {
            throw refuse.apply("its PEM has no matching '-----END ...-----' line (was it cut off?)");
        }
        return Optional.of(new Encoded(null, base64(cleaned, refuse,
                "it is neither PEM ('-----BEGIN " + expectedLabel + "-----') nor base64")));
    }

    /** Refuses a key object that is not an Ed25519 public key (the verifier's constructor uses it). */
    static PublicKey requireEd25519(PublicKey key) {
        if (key instanceof EdECPublicKey edKey && ALGORITHM.equals(edKey.getParams().getName())) {
            return key;
        }
        throw badPublicKey(key == null ? "none is given" : "its algorithm is " + algorithmOf(key) + ", not " + ALGORITHM);
    }

    /** Refuses a key object that is not an Ed25519 private key (the issuer's constructor uses it). */
    static PrivateKey requireEd25519(PrivateKey key) {
        if (key instanceof EdECPrivateKey edKey && ALGORITHM.equals(edKey.getParams().getName())) {
            return key;
        }
        throw new IllegalArgumentException("license keys are signed with an " + ALGORITHM + " private key; "
                + (key == null ? "none is given" : "this one's algorithm is " + algorithmOf(key)));
    }

    // For Edwards-curve keys the JDK's algorithm is just "EdDSA"; the curve tells Ed25519 from Ed448.
    private static String algorithmOf(Key key) {
        return key instanceof EdECKey edKey ? edKey.getParams().getName() : key.getAlgorithm();
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] base64(String text, Function<String, ? extends RuntimeException> refuse, String notBase64) {
        String compact = WHITESPACE.matcher(text).replaceAll("");
        boolean urlAlphabet = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
        byte[] bytes;
        try {
            bytes = (urlAlphabet ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
        } catch (IllegalArgumentException e) {
            throw refuse.apply(notBase64);
        }
        if (bytes.length == 0) {
            throw refuse.apply(notBase64);
        }
        return bytes;
    }

    private static boolean isEd25519PrivateKey(byte[] der) {
        try {
            keyFactory().generatePrivate(new PKCS8EncodedKeySpec(der));
            return true;
        } catch (InvalidKeySpecException e) {
            return false;
        }
    }

    // Names the kind of key that was given instead, when the JDK can tell, so the message says
    // "an RSA public key" rather than an ASN.1 complaint.
    private static String otherKindOf(byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed448")) {
            try {
                KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                return " but an " + algorithm + " public key; make an " + ALGORITHM + " pair with bin/tidemark license keygen";
            } catch (GeneralSecurityException e) {
                // not this kind either
            }
        }
        return " (X.509 SubjectPublicKeyInfo)";
    }

    private static KeyFactory keyFactory() {
        try {
            return KeyFactory.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + " (every Java 15+ JDK has)", e);
        }
    }

    private static LicenseException privateKeyGivenAsPublic(String what) {
        return badPublicKey("it is a private key (" + what + "). Give the public key instead (license-public.pem), and "
                + "keep the private key off the Connect workers: whoever has it can issue license keys");
    }

    private static LicenseException badPublicKey(String detail) {
        return new LicenseException(Reason.BAD_PUBLIC_KEY, BAD_PUBLIC_KEY_PREFIX + detail);
    }

    private static LicenseException badPublicKey(String detail, Throwable cause) {
        return new LicenseException(Reason.BAD_PUBLIC_KEY, BAD_PUBLIC_KEY_PREFIX + detail, cause);
    }
}
