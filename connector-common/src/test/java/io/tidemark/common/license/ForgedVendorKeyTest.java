package io.tidemark.common.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forged vendor key jar put beside the plugin: whoever can drop a file on the worker's class
 * path or into the plugin's directory must not be able to license a sink with a key pair of their
 * own. The plugin is connector-common as it was built, loaded by a class loader of its own as
 * Kafka's {@code PluginClassLoader} loads it; the forger's jar is a second entry of that loader,
 * or on its parent (the worker's class path).
 */
class ForgedVendorKeyTest {

    private static final KeyPair FORGER = LicenseKeys.generate();

    @TempDir
    Path dir;

    @Test
    void aVendorKeyJarBesideThePluginIsNotTrusted() throws Exception {
        Path forged = forgedJar();
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {pluginLocation(), forged.toUri().toURL()}, null)) {
            assertForgedKeyRefused(plugin);
        }
    }

    @Test
    void aVendorKeyJarOnTheWorkersClassPathIsNotTrusted() throws Exception {
        Path forged = forgedJar();
        try (URLClassLoader worker = new URLClassLoader(new URL[] {forged.toUri().toURL()}, null);
             URLClassLoader plugin = new URLClassLoader(new URL[] {pluginLocation()}, worker)) {
            assertForgedKeyRefused(plugin);
        }
    }

    /** Through the plugin's own copy of the classes, as the sink calls them: builtIn(), then verify. */
    private static void assertForgedKeyRefused(ClassLoader plugin) throws Exception {
        String forgedKey = new LicenseIssuer(FORGER.getPrivate()).issue(LicenseClaimsTest.claims());
        Class<?> verifierClass = plugin.loadClass(LicenseVerifier.class.getName());
        Object verifier = verifierClass.getMethod("builtIn").invoke(null);
        Throwable refusal = catchThrowable(() -> verifierClass.getMethod("verify", String.class).invoke(verifier, forgedKey));
        assertThat(refusal).as("a key signed by the forger's pair, whose public key is in a jar beside the plugin")
                .isInstanceOf(InvocationTargetException.class);
        assertThat(refusal.getCause().getMessage()).startsWith("the license key's signature does not verify")
                .doesNotContain(LicenseKeys.fingerprint(FORGER.getPublic()));
    }

    /** Where connector-common's classes are: its jar, or its classes directory in a build. */
    private static URL pluginLocation() {
        return VendorKeys.class.getProtectionDomain().getCodeSource().getLocation();
    }

    private Path forgedJar() throws Exception {
        Path jar = dir.resolve("tidemark-license-unlocker.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry(VendorKeys.RESOURCE));
            zip.write(LicenseKeys.toPem(FORGER.getPublic()).getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        return jar;
    }
}
