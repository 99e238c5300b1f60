package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.tidemark.testkit.AppliedRowLog;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The sink as a user runs it: loaded from its component ZIP by a Connect worker, fed Debezium
 * change events written by JsonConverter, configured through the REST API.
 */
class SinkPipelineIT {

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;
    @TempDir
    static Path secrets;

    private static final Schema KEY = SchemaBuilder.struct().name("server1.HR.EMP.Key").field("ID", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("server1.HR.EMP.Value")
            .field("ID", Schema.INT32_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
            .field("SALARY", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("sink-pipeline").cluster(c -> c
            .workerProp("config.providers", "file,env")
            .workerProp("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider")
            .workerProp("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider"));

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
    }

    private static DebeziumEvents emp(String table) {
        return new DebeziumEvents("server1", "HR", table, KEY, ROW);
    }

    private static Struct row(DebeziumEvents e, int id, String name, long salary) {
        return e.row("ID", id, "NAME", name, "SALARY", salary);
    }

    @Test
    void appliesChangeEventsExactlyAndKeepsOffsetsTrue() {
        DebeziumEvents e = emp("EMP");
        connect.createTopic(e.topic(), 1);
        AppliedRowLog applied = AppliedRowLog.install(db, "hr"); // counts the writes into hr.emp once the sink creates it
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            records.add(e.read(row(e, i, "emp" + i, 1000L * i)));
        }
        records.add(e.insert(row(e, 51, "new", 5)));
        records.add(e.update(row(e, 1, "emp1", 1000), row(e, 1, "first", 1001)));
        records.add(e.delete(row(e, 2, "emp2", 2000)));
        records.add(e.tombstone(row(e, 2, "emp2", 2000)));
        records.add(e.update(row(e, 3, "emp3", 3000), row(e, 300, "emp3 moved", 3000))); // primary key change
        connect.send(records);

        connect.startConnector("emp-sink", SinkConnectorConfigs.sink(db, e.topic(), 1), 1);

        TopicPartition partition = new TopicPartition(e.topic(), 0);
        awaitStoredOffset("emp-sink", partition, records.size());
        // A restart before the consumer group commits: Connect delivers again what PostgreSQL holds already.
        RestRetry.onConflict(() -> connect.connect().restartTask("emp-sink", 0));
        records.add(e.update(row(e, 51, "new", 5), row(e, 51, "newer", 6)));
        records.add(e.insert(row(e, 52, "late", 7)));
        connect.send(records.subList(records.size() - 2, records.size()));
        awaitStoredOffset("emp-sink", partition, records.size());

        // Every row and column as the source has them: 50 snapshot rows, two inserts, one delete, two
        // updates, and the key change that moved row 3 to 300.
        Map<Integer, String> source = new TreeMap<>();
        for (int i = 1; i <= 50; i++) {
            source.put(i, i + "|emp" + i + "|" + 1000L * i);
        }
        source.put(1, "1|first|1001");
        source.remove(2);
        source.remove(3);
        source.put(51, "51|newer|6");
        source.put(52, "52|late|7");
        source.put(300, "300|emp3 moved|3000");
        assertThat(db.rowsAsText("SELECT id, name, salary FROM hr.emp ORDER BY id")).isEqualTo(List.copyOf(source.values()));
        // Applied once, as the target's own trigger counts: no row image written twice, no row deleted twice.
        assertThat(applied.writtenMoreThanOnce("emp")).as("row images written twice").isEmpty();
        assertThat(applied.deleted("emp", "id")).doesNotHaveDuplicates().isSubsetOf("2", "3");
        assertThat(db.rowsAsText("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = 'hr' AND table_name = 'emp' ORDER BY ordinal_position"))
                .containsExactly("id|integer", "name|text", "salary|bigint");

        // The consumer group's offsets (what monitoring sees) catch up with PostgreSQL's.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(groupOffsets("emp-sink"))
                .containsEntry(partition, (long) records.size()));
        connect.connect().deleteConnector("emp-sink");
    }

    @Test
    void offsetsApiMovesThePostgresOffsetsAndAResetReplays() throws InterruptedException {
        DebeziumEvents e = emp("OFFS");
        connect.createTopic(e.topic(), 2);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            records.add(DebeziumEvents.toPartition(e.insert(row(e, i, "n" + i, i)), i % 2));
        }
        connect.send(records);
        connect.startConnector("offs-sink", SinkConnectorConfigs.sink(db, e.topic(), 1), 1);
        TopicPartition p0 = new TopicPartition(e.topic(), 0);
        TopicPartition p1 = new TopicPartition(e.topic(), 1);
        awaitStoredOffset("offs-sink", p0, 20);
        awaitStoredOffset("offs-sink", p1, 20);

        // Reset: stop, DELETE offsets, wipe the target; resuming replays everything from the start.
        connect.connect().stopConnector("offs-sink");
        connect.connect().assertions().assertConnectorIsStopped("offs-sink", "not stopped");
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> connect.connect().resetConnectorOffsets("offs-sink") != null);
        // The rows stay (their owner epoch went up, fencing any task that outlived the stop); the offsets are gone.
        assertThat(db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE connector = 'offs-sink'"
                + " AND next_offset IS NOT NULL")).isZero();
        db.execute("TRUNCATE hr.offs");
        connect.connect().resumeConnector("offs-sink");
        awaitStoredOffset("offs-sink", p0, 20);
        awaitStoredOffset("offs-sink", p1, 20);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> db.count("SELECT count(*) FROM hr.offs") == 40);

        // Alter: PATCH partition 1 back to offset 15, wipe those rows; resuming re-applies only them.
        connect.connect().stopConnector("offs-sink");
        connect.connect().assertions().assertConnectorIsStopped("offs-sink", "not stopped");
        connect.connect().alterSinkConnectorOffset("offs-sink", p1, 15L);
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE connector = 'offs-sink' "
                + "AND kafka_partition = 1")).isEqualTo(15L);
        db.execute("DELETE FROM hr.offs");
        connect.connect().resumeConnector("offs-sink");
        awaitStoredOffset("offs-sink", p1, 20);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> db.count("SELECT count(*) FROM hr.offs") == 5);
        // Partition 1 holds the odd ids; offsets 15..19 are ids 31, 33, 35, 37, 39.
        assertThat(db.rowsAsText("SELECT id FROM hr.offs ORDER BY id")).containsExactly("31", "33", "35", "37", "39");
        connect.connect().deleteConnector("offs-sink");
    }

    @Test
    void configProvidersResolveSecrets() throws Exception {
        DebeziumEvents e = emp("SECRET");
        connect.createTopic(e.topic(), 1);
        Path file = secrets.resolve("pg.properties");
        Files.writeString(file, "pg.password=" + db.password() + "\n");
        Map<String, String> config = SinkConnectorConfigs.sink(db, e.topic(), 1);
        config.put("connection.password", "${file:" + file + ":pg.password}");
        config.put("connection.user", "${env:TIDEMARK_IT_PG_USER}");
        connect.send(List.of(e.insert(row(e, 1, "a", 1))));
        connect.startConnector("secret-sink", config, 1);
        awaitStoredOffset("secret-sink", new TopicPartition(e.topic(), 0), 1);
        assertThat(db.count("SELECT count(*) FROM hr.secret")).isEqualTo(1);
        // The REST API shows the placeholder, not the secret.
        assertThat(connect.connect().connectorInfo("secret-sink").config().get("connection.password"))
                .startsWith("${file:");
        connect.connect().deleteConnector("secret-sink");
    }

    @Test
    void validationReportsEachBadKeyInWordsAnOperatorCanActOn() {
        Map<String, String> config = SinkConnectorConfigs.sink(db, "server1.HR.EMP,server1.HR.DEPT", 1);
        config.put("connection.url", "jdbc:mysql://localhost/db");
        config.put("table.error.policy", "ignore");
        config.put("batch.size", "-5");
        Map<String, List<String>> errors = validate(config);
        assertThat(errors.get("connection.url")).singleElement().asString()
                .contains("must be a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/database");
        assertThat(errors.get("table.error.policy")).singleElement().asString().contains("must be one of fail, skip, flag");
        assertThat(errors.get("batch.size")).singleElement().asString().contains("Value must be at least 1");

        Map<String, String> names = SinkConnectorConfigs.sink(db, "server1.HR.EMP,server1.HR.DEPT", 1);
        names.put("table.rename", "HR.EMPLOYEES:staff,HR.DEPT:emp");
        names.put("column.rename", "HR.EMP.A:x,HR.EMP.B:x,HR.EMP.C:" + "c".repeat(64));
        names.put("table.error.policy.overrides", "HR.EMP:sometimes");
        errors = validate(names);
        assertThat(errors.get("table.rename")).anySatisfy(m -> assertThat(m)
                .contains("'HR.EMPLOYEES' is not a table of this connector's topics (HR.DEPT, HR.EMP)"));
        assertThat(errors.get("table.rename")).anySatisfy(m -> assertThat(m)
                .contains("HR.EMP and HR.DEPT both map to table hr.emp"));
        assertThat(errors.get("column.rename")).anySatisfy(m -> assertThat(m)
                .contains("HR.EMP.A and HR.EMP.B both map to column 'x'"));
        assertThat(errors.get("column.rename")).anySatisfy(m -> assertThat(m)
                .contains("is 64 bytes long; PostgreSQL identifiers hold at most 63"));
        assertThat(errors.get("table.error.policy.overrides")).singleElement().asString()
                .contains("HR.EMP:sometimes").contains("fail, skip, flag");
    }

    private static Map<String, List<String>> validate(Map<String, String> config) {
        ConfigInfos infos = connect.connect().validateConnectorConfig("PostgresSinkConnector", config);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        return errors;
    }

    private static void awaitStoredOffset(String connector, TopicPartition tp, long offset) {
        Awaitility.await(connector + " stores offset " + offset + " for " + tp).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> Long.valueOf(offset).equals(db.scalar(
                        "SELECT next_offset FROM tidemark.kafka_offsets WHERE connector = ? AND topic = ? AND kafka_partition = ?",
                        connector, tp.topic(), tp.partition())));
    }

    static Map<TopicPartition, Long> groupOffsets(String connector) {
        return groupOffsets(connect, connector);
    }

    /** The consumer group's committed offsets, as GET /connectors/{name}/offsets reports them. */
    static Map<TopicPartition, Long> groupOffsets(ConnectTestCluster connect, String connector) {
        ConnectorOffsets offsets = connect.connect().connectorOffsets(connector);
        return offsets.offsets().stream().collect(Collectors.toMap(
                (ConnectorOffset o) -> new TopicPartition((String) o.partition().get("kafka_topic"),
                        ((Number) o.partition().get("kafka_partition")).intValue()),
                o -> ((Number) o.offset().get("kafka_offset")).longValue()));
    }
}
