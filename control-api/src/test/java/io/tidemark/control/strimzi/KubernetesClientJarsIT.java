package io.tidemark.control.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What fabric8's client brings into control-api/target/lib, the jars the CLI distribution and the
 * image ship (docs/control-api.md, "Strimzi and GitOps"): one HTTP transport, the JDK's, so neither
 * Vert.x, Netty nor OkHttp; one jackson-annotations for Jackson 2 and 3; Jetty only at the version
 * the control API serves with.
 */
class KubernetesClientJarsIT {

    /** The Jetty the control API is built against (pom.xml's jetty.version). */
    private static final String JETTY = org.eclipse.jetty.server.Server.getVersion() + ".jar";
    private static final Path LIB = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/lib");

    @Test
    void fabric8BringsOneTransportAndNoSecondServerStack() throws Exception {
        List<String> jars;
        try (Stream<Path> files = Files.list(LIB)) {
            jars = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).as(LIB.toString()).filteredOn(j -> j.startsWith("kubernetes-httpclient-"))
                .singleElement().asString().startsWith("kubernetes-httpclient-jdk-");
        assertThat(jars).as("fabric8's client and its implementation")
                .anyMatch(j -> j.matches("kubernetes-client-api-[0-9.]+\\.jar"))
                .anyMatch(j -> j.matches("kubernetes-client-[0-9.]+\\.jar"));
        assertThat(jars).noneMatch(j -> j.startsWith("vertx-") || j.startsWith("netty-") || j.startsWith("okhttp")
                || j.startsWith("okio"));
        assertThat(jars).filteredOn(j -> j.startsWith("jackson-annotations-")).hasSize(1);
        assertThat(jars).filteredOn(j -> j.startsWith("jetty-")).isNotEmpty()
                .extracting(j -> j.substring(j.lastIndexOf('-') + 1)).as("one Jetty").containsOnly(JETTY);
    }
}
