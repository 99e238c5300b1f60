package io.tidemark.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tidemark.common.license.VendorKeys;

/**
 * Adds the test vendor's public key to the vendor key file inside each connector-common jar of a
 * test plugin directory, the one place the sink reads trust anchors from: an embedded Connect
 * worker loads the plugin through a class loader of its own, which {@link TestLicenses}'s in-code
 * trust does not reach. Only the build's unpacked copies are changed; the ZIPs stay as shipped
 * (ShippedArchivesTest checks them).
 */
final class TestPluginKeys {

    private TestPluginKeys() {
    }

    /** Every connector-common jar under the plugin path trusts the test vendor; does nothing twice. */
    static void addTo(Path pluginPath) {
        if (!Files.isDirectory(pluginPath)) {
            return;
        }
        try (Stream<Path> files = Files.walk(pluginPath, 4)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().startsWith("connector-common-")
                    && p.getFileName().toString().endsWith(".jar")).toList();
            for (Path jar : jars) {
                addToJar(jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add the test vendor key to the plugins in " + pluginPath, e);
        }
    }

    private static void addToJar(Path jar) throws IOException {
        String vendorKeys;
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            vendorKeys = Files.readString(zip.getPath(VendorKeys.RESOURCE), StandardCharsets.UTF_8);
        }
        if (vendorKeys.contains(TestLicenses.PUBLIC_PEM)) {
            return;
        }
        // Changed in a copy and moved over the jar: a test interrupted half-way leaves a whole jar.
        Path copy = jar.resolveSibling(jar.getFileName() + ".test-key");
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + copy.toUri()), Map.of())) {
            Files.writeString(zip.getPath(VendorKeys.RESOURCE), vendorKeys + "\n" + TestLicenses.PUBLIC_PEM,
                    StandardCharsets.UTF_8);
        }
        Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
