package io.tidemark.control.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate chain and private key from PEM files ({@code --tls-cert}, {@code --tls-key}),
 * as cert-manager or a Kubernetes secret mounts them, and reloaded when either file changes, so a
 * renewed certificate is served without a restart. The key is PKCS#8 ({@code BEGIN PRIVATE KEY},
 * RSA or EC), unencrypted.
 */
public final class TlsFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);
    private static final char[] NO_PASSWORD = new char[0];

    private final Path cert;
    private final Path key;
    private volatile List<FileTime> seen;

    public TlsFiles(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    /** A factory with the files' key and chain; throws with the file named when they cannot be read. */
    SslContextFactory.Server factory() {
        SslContextFactory.Server f = new SslContextFactory.Server();
        f.setKeyStore(keyStore());
        f.setKeyStorePassword("");
        f.setKeyManagerPassword("");
        seen = stamps();
        return f;
    }

    /** Reloads the factory when a file changed since it was read; a half-written pair is tried again next time. */
    void reloadIfChanged(SslContextFactory.Server factory) {
        List<FileTime> now = stamps();
        if (Objects.equals(now, seen)) {
            return;
        }
        try {
            KeyStore ks = keyStore();
            factory.reload(f -> f.setKeyStore(ks));
            seen = now;
            LOG.info("TLS certificate reloaded from {} and {}", cert, key);
        } catch (Exception e) {
            LOG.warn("TLS files {} and {} changed but cannot be used yet ({}): still serving the previous certificate",
                    cert, key, e.getMessage());
        }
    }

    private List<FileTime> stamps() {
        try {
            return List.of(Files.getLastModifiedTime(cert), Files.getLastModifiedTime(key),
                    FileTime.fromMillis(Files.size(cert)), FileTime.fromMillis(Files.size(key)));
        } catch (IOException e) {
            return List.of();
        }
    }

    private KeyStore keyStore() {
        try {
            List<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(cert)) {
                chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("--tls-cert " + cert + " holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("tidemark", privateKey(), NO_PASSWORD, chain.toArray(new Certificate[0]));
            return ks;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("--tls-cert " + cert + " and --tls-key " + key + " cannot be used: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private PrivateKey privateKey() throws Exception {
        String pem = Files.readString(key, StandardCharsets.US_ASCII);
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("--tls-key " + key + " is not an unencrypted PKCS#8 key: convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt -in " + key.getFileName() + " -out key.pem");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("--tls-key " + key + " holds no '-----BEGIN PRIVATE KEY-----' block");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (java.security.spec.InvalidKeySpecException e) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException("--tls-key " + key + " is neither an RSA, an EC nor an Ed25519 key");
    }
}
