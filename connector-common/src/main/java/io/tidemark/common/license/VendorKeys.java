package io.tidemark.common.license;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.tidemark.common.license.LicenseException.Reason;

/**
 * The trust anchors: the vendor's Ed25519 public keys built into the plugin, the only keys a
 * license key is verified against (never one from the connector configuration, or anyone could
 * sign their own license).
 *
 * <p>They are read from {@value #RESOURCE} in connector-common's own jar, the one this class was
 * loaded from, and from nowhere else: not through a class loader, which would also find a file of
 * that name in any other jar of the plugin's directory or on the worker's class path, where
 * anyone who can drop a file could add a key of their own. A file may hold several PEM public
 * keys, so a new vendor key ships beside the old one while keys signed with the old one are in use
 * (key rotation); text outside the PEM blocks is ignored, so a line can say which key is which.
 */
public final class VendorKeys {

    /** Where the vendor's public keys live in connector-common's jar. */
    public static final String RESOURCE = "META-INF/tidemark/license-vendor-keys.pem";

    /** Keys a test added in code ({@link #trustInThisJvmForTests}); never read from any file. */
    private static final List<PublicKey> TEST_ANCHORS = new CopyOnWriteArrayList<>();

    private VendorKeys() {
    }

    /**
     * The keys built into this copy of connector-common: those of {@value #RESOURCE} in the jar (or
     * build directory) this class was loaded from, and any a test added in this class loader.
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} as {@link #load(URL)}
     */
    public static List<PublicKey> builtIn() {
        CodeSource source = VendorKeys.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw unusable("cannot tell which jar the license classes were loaded from, so no vendor key can be "
                    + "trusted: install the connector-sink ZIP as it was released", null);
        }
        Map<String, PublicKey> byFingerprint = new LinkedHashMap<>();
        for (PublicKey key : load(source.getLocation())) {
            byFingerprint.putIfAbsent(LicenseKeys.fingerprint(key), key);
        }
        TEST_ANCHORS.forEach(key -> byFingerprint.putIfAbsent(LicenseKeys.fingerprint(key), key));
        return List.copyOf(new ArrayList<>(byFingerprint.values()));
    }

    /**
     * The public keys of {@value #RESOURCE} in one class-path location, a jar or a directory, and
     * nowhere else.
     *
     * @throws LicenseException {@code BAD_PUBLIC_KEY} when the location has no such file, or it
     *                          cannot be read or holds something other than Ed25519 public keys:
     *                          the plugin was packaged wrongly, and no key could be trusted
     */
    public static List<PublicKey> load(URL location) {
        String text = read(location);
        try {
            return LicenseKeys.parsePublicKeys(text);
        } catch (LicenseException e) {
            throw unusable("the vendor key file " + RESOURCE + " in " + location + " is unusable: " + e.getMessage(), e);
        }
    }

    /**
     * Trusts a key in this class loader's copy of connector-common, for tests that sign license keys
     * with a test vendor's pair whose private half is public. Only code can call this: no file,
     * configuration or property adds a key, and code running in the worker could replace the
     * plugin's classes anyway.
     */
    public static void trustInThisJvmForTests(PublicKey key) {
        TEST_ANCHORS.add(LicenseKeys.requireEd25519(key));
    }

    private static String read(URL location) {
        Path path;
        try {
            path = Path.of(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw unusable("the license classes were loaded from " + location + ", not from a jar or directory this "
                    + "plugin can read its vendor keys from", e);
        }
        try {
            if (Files.isDirectory(path)) {
                return Files.readString(path.resolve(RESOURCE), StandardCharsets.UTF_8);
            }
            // Opened afresh each time: a reinstalled plugin must not be read from a stale cached jar.
            try (ZipFile jar = new ZipFile(path.toFile())) {
                ZipEntry entry = jar.getEntry(RESOURCE);
                if (entry == null) {
                    throw new NoSuchFileException(RESOURCE);
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (NoSuchFileException e) {
            throw unusable("no vendor public key is built into this plugin (" + location + " has no " + RESOURCE
                    + "): the plugin is packaged wrongly; install the connector-sink ZIP as it was released", e);
        } catch (IOException e) {
            throw unusable("cannot read the vendor key file " + RESOURCE + " in " + location + ": " + e, e);
        }
    }

    private static LicenseException unusable(String message, Throwable cause) {
        return new LicenseException(Reason.BAD_PUBLIC_KEY, message, cause);
    }
}
