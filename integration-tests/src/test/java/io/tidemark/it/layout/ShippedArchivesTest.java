package io.tidemark.it.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

/**
 * The testkit's vendor key pair signs license keys in tests, and its private half is in the
 * repository: a plugin that trusted its public half could be licensed by anyone. The built plugin
 * archives, and every jar inside them, are opened here and must hold neither half, nor testkit.
 */
class ShippedArchivesTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final String VERSION = System.getProperty("tidemark.version", "0.1.0-SNAPSHOT");
    private static final List<String> ARCHIVES = List.of("connector-sink/target/tidemark-connector-sink-%s.zip",
            "connector-source/target/tidemark-connector-source-%s.zip",
            "apicurio-converter/target/tidemark-apicurio-converter-%s.zip");

    /** The base64 body of the test vendor's public key, as testkit ships it. */
    private static String testPublicKey() throws IOException {
        String pem = Files.readString(REPO.resolve("testkit/src/main/resources/io/tidemark/testkit/test-vendor-public.pem"));
        Matcher m = Pattern.compile("-----BEGIN PUBLIC KEY-----\\s*(\\S+)\\s*-----END PUBLIC KEY-----").matcher(pem);
        assertThat(m.find()).as("testkit's vendor key file holds a public key").isTrue();
        return m.group(1);
    }

    @Test
    void noPluginArchiveCarriesTheTestVendorKey() throws IOException {
        String testKey = testPublicKey();
        for (String archive : ARCHIVES) {
            Path zip = REPO.resolve(String.format(archive, VERSION));
            assertThat(zip).as("built by the package phase before this test").exists();
            List<String> found = new ArrayList<>();
            try (InputStream in = Files.newInputStream(zip)) {
                scan(zip.getFileName().toString(), in, testKey, found);
            }
            assertThat(found).as("test keys or testkit inside " + zip.getFileName()).isEmpty();
        }
    }

    /** Walks a zip (and the jars in it), noting every entry that is or carries a test key. */
    private static void scan(String where, InputStream archive, String testKey, List<String> found) throws IOException {
        ZipInputStream zip = new ZipInputStream(archive);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            String name = e.getName();
            String path = where + "!/" + name;
            if (name.endsWith(".jar")) {
                if (name.substring(name.lastIndexOf('/') + 1).startsWith("testkit")) {
                    found.add(path + " (testkit)");
                }
                scan(path, new ByteArrayInputStream(zip.readAllBytes()), testKey, found);
            } else if (name.endsWith(".pem") || name.endsWith(".key") || name.contains("tidemark/license")) {
                String text = new String(zip.readAllBytes(), StandardCharsets.US_ASCII);
                if (text.contains(testKey) || text.contains("PRIVATE KEY") || name.endsWith("test-vendor-private.pem")) {
                    found.add(path);
                }
            }
        }
    }
}
