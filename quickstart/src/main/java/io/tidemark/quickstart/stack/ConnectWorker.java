package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A distributed Connect worker: {@code ConnectDistributed} with the shipped
 * {@code config/worker/connect-distributed.properties} plus the quickstart's overrides (its broker,
 * its ports, one replica, the unpacked plugins as plugin.path), as {@code connect-distributed.sh}
 * runs it. The environment carries the values the connector files' {@code ${env:...}} placeholders
 * name.
 */
public final class ConnectWorker extends ChildService {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ConnectRest rest;

    private ConnectWorker(ConnectRest rest, ChildJvm jvm) {
        super(jvm);
        this.rest = rest;
    }

    public static ConnectWorker start(WorkDirectory work, Path shippedProperties, String bootstrapServers,
                                      Map<String, String> env, List<String> requiredPlugins) {
        int port = FreePorts.next();
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("bootstrap.servers", bootstrapServers);
        overrides.put("listeners", "http://127.0.0.1:" + port);
        overrides.put("rest.advertised.host.name", "127.0.0.1");
        overrides.put("rest.advertised.port", Integer.toString(port));
        overrides.put("plugin.path", work.plugins().toString());
        overrides.put("config.storage.replication.factor", "1");
        overrides.put("offset.storage.replication.factor", "1");
        overrides.put("status.storage.replication.factor", "1");
        // Source offsets (the replication slot's confirmed position) are flushed often in a short demo.
        overrides.put("offset.flush.interval.ms", "2000");
        // The shipped file lets the file provider read /mnt/tidemark only, where the image and Strimzi
        // mount the secrets; Kafka refuses to start a worker whose allowed path does not exist. The
        // demo's connector files read ${env:...} only: the work directory stands in.
        overrides.put("config.providers.file.param.allowed.paths", work.root().toAbsolutePath().toString());
        Path workerProperties = work.connect().resolve("worker.properties");
        writeWorkerProperties(shippedProperties, overrides, workerProperties);

        Path log = work.log("connect.log");
        String logOption = LogConfig.jvmOption(LogConfig.write(work.connect().resolve("log4j2.properties"), log,
                Map.of("org.reflections", "error", "org.apache.kafka.clients.consumer.ConsumerConfig", "warn",
                        "org.apache.kafka.clients.producer.ProducerConfig", "warn",
                        "org.apache.kafka.clients.admin.AdminClientConfig", "warn",
                        "org.apache.kafka.common.config.AbstractConfig", "warn")));
        ChildJvm jvm = ChildJvm.start("connect", null, work, log, List.of("-Xms256m", "-Xmx1g", logOption),
                "org.apache.kafka.connect.cli.ConnectDistributed", List.of(workerProperties.toString()), env);
        ConnectWorker worker = new ConnectWorker(new ConnectRest("http://127.0.0.1:" + port), jvm);
        worker.awaitReady("the Connect worker's REST API with the plugins " + requiredPlugins, START_TIMEOUT,
                "see " + log, () -> worker.rest.connectorPlugins().containsAll(requiredPlugins));
        return worker;
    }

    // The shipped file as it is, then the overrides: Properties.load keeps the last value of a key.
    private static void writeWorkerProperties(Path shipped, Map<String, String> overrides, Path target) {
        try {
            StringBuilder b = new StringBuilder("# " + shipped + ", as shipped:\n\n");
            b.append(Files.readString(shipped));
            b.append("\n# The quickstart's overrides:\n");
            overrides.forEach((k, v) -> b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            Files.writeString(target, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ConnectRest rest() {
        return rest;
    }

}
