package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import io.tidemark.quickstart.QuickstartException;
import io.tidemark.quickstart.Waits;

/**
 * A single-node Kafka cluster in KRaft mode (one process as broker and controller): the storage
 * formatted with Kafka's {@code StorageTool} (what {@code kafka-storage.sh format} runs), then
 * {@code kafka.Kafka} with a {@code server.properties}, as {@code kafka-server-start.sh} runs it.
 */
public final class KafkaBroker extends ChildService {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String bootstrapServers;

    private KafkaBroker(String bootstrapServers, ChildJvm jvm) {
        super(jvm);
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaBroker start(WorkDirectory work) {
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + bootstrap + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + bootstrap);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", work.kafka().resolve("data").toString());
        // One node: every internal topic with one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("num.partitions", "1");
        // Topics come from Connect's topic.creation and the source's marker, as on a managed cluster.
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        Path serverProperties = work.kafka().resolve("server.properties");
        write(serverProperties, props, "A single-node KRaft cluster of the Tidemark quickstart");

        format(serverProperties, work.log("kafka-storage.log"));

        Path log = work.log("kafka.log");
        String logOption = LogConfig.jvmOption(LogConfig.write(work.kafka().resolve("log4j2.properties"), log,
                Map.of("kafka.request.logger", "warn", "state.change.logger", "warn", "org.apache.kafka.raft", "warn",
                        "kafka.log.LogCleaner", "warn")));
        ChildJvm jvm = ChildJvm.start("kafka", "connect", work, log, List.of("-Xms256m", "-Xmx512m", logOption,
                        "-Dkafka.logs.dir=" + work.logs()),
                "kafka.Kafka", List.of(serverProperties.toString()), Map.of());
        KafkaBroker broker = new KafkaBroker(bootstrap, jvm);
        // One admin client for the whole wait, not one a poll.
        try (Admin admin = broker.admin()) {
            broker.awaitReady("the Kafka broker at " + bootstrap + " answering", START_TIMEOUT, "see " + log,
                    () -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 1);
        }
        return broker;
    }

    private static void format(Path serverProperties, Path output) {
        String clusterId = Uuid.randomUuid().toString();
        try (OutputStream file = Files.newOutputStream(output); PrintStream print = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            int exit = kafka.tools.StorageTool.execute(
                    new String[] {"format", "--cluster-id", clusterId, "--config", serverProperties.toString()}, print);
            if (exit != 0) {
                throw new QuickstartException("formatting Kafka's storage failed (exit " + exit + "); see " + output
                        + ":\n" + ChildJvm.tail(output, 10));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    /** Waits until every topic exists (Debezium creates them with its first records). */
    public void awaitTopics(Set<String> topics, Duration atMost, String hint) {
        try (Admin admin = admin()) {
            Waits.until("the topics " + topics, atMost, hint, () -> {
                jvm.checkAlive();
                return admin.listTopics().names().get(5, TimeUnit.SECONDS).containsAll(topics);
            });
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    static void write(Path file, Map<String, String> props, String comment) {
        StringBuilder b = new StringBuilder("# ").append(comment).append('\n');
        props.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        try {
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
