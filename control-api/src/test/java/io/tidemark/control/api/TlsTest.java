package io.tidemark.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.Tls;
import io.tidemark.control.auth.BearerTokens;

/**
 * TLS in the server itself: a real handshake with a certificate made by openssl for this test,
 * and a second certificate written over the files while the server runs, which the next handshake
 * presents without a restart.
 */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void theServerPresentsItsCertificateAndTheRenewedOneOnceTheFilesChange() throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Path first = selfSigned("first");
        Path second = selfSigned("second");
        Files.copy(first.resolve("cert.pem"), cert);
        Files.copy(first.resolve("key.pem"), key);
        Path trusted = dir.resolve("trusted.pem");
        Files.writeString(trusted, Files.readString(first.resolve("cert.pem")) + Files.readString(second.resolve("cert.pem")));
        SSLContext trust;
        try (InputStream in = Files.newInputStream(trusted)) {
            trust = Tls.trusting(in);
        }
        ProjectServices p = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:1"), null),
                Map.of());
        try (ControlServer server = new ControlServer(new ControlServer.Settings(new InetSocketAddress("127.0.0.1", 0),
                new TlsFiles(cert, key), ServerLimits.DEFAULTS), Map.of("shop", p),
                BearerTokens.of(List.of("ops admin test-token-0123456789abcdef")))) {
            server.start();
            URI health = URI.create("https://127.0.0.1:" + server.port() + "/health");
            assertThat(presented(trust, health)).isEqualTo(serial(first));

            // A renewal as cert-manager does it: the files replaced while the server runs.
            Files.copy(second.resolve("key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.resolve("cert.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            Awaitility.await("the renewed certificate served").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500)).until(() -> presented(trust, health).equals(serial(second)));

            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain HTTP to the TLS port").isInstanceOf(java.io.IOException.class);
        }
    }

    /** The serial number of the certificate the server presented in a new handshake. */
    private static BigInteger presented(SSLContext trust, URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    private static BigInteger serial(Path pair) throws Exception {
        try (InputStream in = Files.newInputStream(pair.resolve("cert.pem"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    /** An EC key (PKCS#8) and a self-signed certificate for 127.0.0.1, made by openssl. */
    private Path selfSigned(String name) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", out.resolve("key.pem").toString(), "-out",
                out.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=tidemark-" + name, "-addext",
                "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return out;
    }
}
