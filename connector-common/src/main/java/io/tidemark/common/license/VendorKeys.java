package io.tidemark.common.license;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.common.license.LicenseException.Reason;

/**
 * The trust anchors: the vendor's Ed25519 public keys built into the plugin, the only keys a
 * license key is verified against (never one from the connector configuration, or anyone could
 * sign their own license).
 *
 * <p>They are every class-path resource named {@value #RESOURCE} that the given class loader
 * finds. Kafka's {@code PluginClassLoader} finds the plugin's own resources and its parent's (the
 * worker's class path): {@code connector-common} ships the vendor's production key, and a test
 * class path adds the test vendor's. A file may hold several PEM public keys, so a new vendor key
 * ships beside the old one while keys signed with the old one are in use (key rotation); text
 * outside the PEM blocks is ignored, so a line can say which key is which.
 */
public final class VendorKeys {

    /** Where the vendor's public keys live on the class path. */
    public static final String RESOURCE = "META-INF/tidemark/license-vendor-keys.pem";

    private VendorKeys() {
    }

    /**
     * The public keys of every {@value #RESOURCE} the loader finds, each once (the same file can be
     * found twice: in the plugin's directory and on the worker's class path).
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} when no such resource exists, or one of them
     *                          cannot be read or holds something other than Ed25519 public keys:
     *                          the plugin was packaged wrongly, and no key could be trusted
     */
    public static List<PublicKey> load(ClassLoader loader) {
        Map<String, PublicKey> byFingerprint = new LinkedHashMap<>();
        List<URL> files;
        try {
            files = Collections.list(loader.getResources(RESOURCE));
        } catch (IOException e) {
            throw unusable("cannot list " + RESOURCE + " on the plugin's class path: " + e, e);
        }
        for (URL file : files) {
            for (PublicKey key : keysIn(file)) {
                byFingerprint.putIfAbsent(LicenseKeys.fingerprint(key), key);
            }
        }
        if (byFingerprint.isEmpty()) {
            throw unusable("no vendor public key is built into this plugin (" + RESOURCE + " is not on its class path): "
                    + "the plugin is packaged wrongly; install the connector-sink ZIP as it was released", null);
        }
        return List.copyOf(new ArrayList<>(byFingerprint.values()));
    }

    private static List<PublicKey> keysIn(URL file) {
        String text;
        try {
            URLConnection connection = file.openConnection();
            connection.setUseCaches(false); // a reinstalled plugin must not be read from a stale cached jar
            try (InputStream in = connection.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw unusable("cannot read the vendor key file " + file + ": " + e, e);
        }
        try {
            return LicenseKeys.parsePublicKeys(text);
        } catch (LicenseException e) {
            throw unusable("the vendor key file " + file + " is unusable: " + e.getMessage(), e);
        }
    }

    private static LicenseException unusable(String message, Throwable cause) {
        return new LicenseException(Reason.BAD_PUBLIC_KEY, message, cause);
    }
}
