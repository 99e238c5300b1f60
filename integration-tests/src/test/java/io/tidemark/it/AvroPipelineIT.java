package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.avro.AvroConverters;

/**
 * The whole pipeline with Avro: Tidemark's PostgreSQL source (Debezium's connector, iteration
 * markers) on a source database, Kafka in Apicurio's Avro (Confluent wire format), Tidemark's sink
 * into a target database, every plugin loaded from its plugin directory by one Connect worker. The
 * target must equal the source value by value over the types PostgreSQL's connector produces:
 * float and double NaN, ±Infinity and -0.0, numerics of every scale, large text and bytea (and
 * their TOASTed values an update did not touch), temporal types, and a column added mid-stream.
 *
 * <p>No schema registry runs here (none can on the build machines): the source's and the sink's
 * converters resolve schemas through {@code InMemorySchemaResolver}, which keeps them in this JVM's
 * memory and hands out the ids a registry would. A deployment names its registry's URL instead.
 *
 * <p>And where values still go through JsonConverter, the source says what it loses: a NaN or
 * ±Infinity is warned about once per column and counted in the task's plugin metric.
 */
class AvroPipelineIT {

    private static PostgresTestDatabase source;
    private static PostgresTestDatabase target;
    private static ConnectTestCluster cluster;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("avro-pipeline").cluster(c -> c.withAvroConverterPlugin());

    @BeforeAll
    static void start() {
        source = PIPELINE.db();
        cluster = PIPELINE.connect();
        target = PIPELINE.database("avro_pipeline_target");
    }

    private static final String COLUMNS = "id bigint PRIMARY KEY, i2 smallint, i4 integer, i8 bigint,"
            + " n0 numeric(18,0), n3 numeric(12,3), n10 numeric(38,10), n30 numeric(60,30), nx numeric(3,5), nfree numeric,"
            + " f4 real, f8 double precision, b boolean, v varchar(40), c char(5), t text, by bytea,"
            + " d date, tm time(6), tmtz timetz, ts0 timestamp(0), ts3 timestamp(3), ts6 timestamp, tstz timestamptz,"
            + " iv interval, u uuid, j jsonb, js json, x xml, bt bit(4), ai integer[], at text[]";

    private static final String ROWS = "INSERT INTO public.all_types VALUES"
            + " (1, -32768, 2147483647, -9223372036854775808, 123456789012345678, -123456789.123,"
            + "  1234567890123456789012345678.0123456789, 0.000000000000000000000000000001, 0.00123,"
            + "  3.14159265358979323846264338327950288419716939937510, 1.1, 1e300, true, 'Grüße, 世界\ttab\\slash',"
            + "  'ab', repeat('text ', 60000) || E'\\n\\r\\\\', decode(repeat('00ff5c0a', 50000), 'hex'),"
            + "  '2024-02-29', '23:59:59.999999', '10:15:30.5+05:30', '1969-07-20 20:17:40', '0001-01-01 00:00:00.001',"
            + "  '2024-01-01 23:59:59.999999', '2024-06-01 10:15:30.123456+02', '3 days 04:05:06.789',"
            + "  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": [1, 2], \"a\": null}', '{ \"z\":1,  \"z\":2 }',"
            + "  '<a><b>1</b></a>', B'1010', '{1,NULL,-3}', '{\"a,b\",NULL,\"\"}'),"
            + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'NaN', 'NaN', NULL, NULL, NULL, NULL, NULL,"
            + "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            + " (3, 0, 0, 0, 0, 0, 0, 0, 0, -1e-125, 'Infinity', '-Infinity', false, '', '', '', '\\x',"
            + "  '0001-01-01', '00:00:00', '00:00:00+00', '2024-02-29 13:45:12', '1999-12-31 23:59:59.999',"
            + "  'infinity', '-infinity', '-1 days -02:03:04.5', NULL, '[]', '\"\"', '<x/>', B'0000', '{}', '{}'),"
            + " (4, 1, 1, 1, 1, 1, 1, 1, 0, 1e125, '-Infinity', 'Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            + " (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -0.0, '-0', '-0', NULL, NULL, NULL, NULL, NULL,"
            + "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

    private static Map<String, String> sourceConfig(String prefix, String table, Map<String, String> converters) {
        Map<String, String> config = SourceConnectorConfigs.postgres(source, cluster, prefix, List.of(table), 1000);
        config.put("column.propagate.source.type", ".*");
        config.putAll(converters);
        return config;
    }

    /** Every column as PostgreSQL prints it, the same query on both sides. */
    private static List<String> rows(PostgresTestDatabase db, String columns) {
        return db.rowsAsText("SELECT " + columns + " FROM public.all_types ORDER BY id");
    }

    /**
     * The source table's columns, each as text; a timetz at UTC, since Debezium sends it in UTC
     * (its offset is not kept), and an unconstrained numeric by value, since Debezium's PostgreSQL
     * connector sends it without trailing zeros (3.10 arrives as 3.1, 0.0 as 0). Both happen before
     * the converter, whichever it is.
     */
    private static String textColumns() {
        return source.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND table_name = 'all_types' ORDER BY ordinal_position").stream()
                .map(r -> (String) r.get("column_name"))
                .map(c -> switch (c) {
                    case "tmtz" -> "(tmtz AT TIME ZONE 'UTC')::text";
                    case "nfree" -> "trim_scale(nfree)::text";
                    default -> c + "::text";
                })
                .collect(Collectors.joining(", "));
    }

    private static void awaitTargetEqualsSource(String why) {
        String columns = textColumns();
        await(why).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(rows(target, columns)).containsExactlyElementsOf(rows(source, columns)));
    }

    @Test
    void everyPostgresTypeArrivesExactlyThroughAvro() throws Exception {
        // Out of line and uncompressed, so that an update leaving them alone sends no value for them.
        source.execute("CREATE TABLE public.all_types (" + COLUMNS + ")",
                "ALTER TABLE public.all_types ALTER COLUMN t SET STORAGE EXTERNAL, ALTER COLUMN by SET STORAGE EXTERNAL",
                ROWS);
        String topic = "shop.public.all_types";
        cluster.createTopic(topic, 1);
        cluster.startConnector("avro-source", sourceConfig("shop", "all_types", AvroConverters.connectorConfig()), 1);
        Map<String, String> sink = SinkConnectorConfigs.sink(target, topic, 1);
        sink.putAll(AvroConverters.connectorConfig());
        cluster.startConnector("avro-sink", sink, 1);
        awaitTargetEqualsSource("the snapshot");
        assertThat(rows(target, "f4::text, f8::text")).containsExactly(
                "1.1|1e+300", "NaN|NaN", "Infinity|-Infinity", "-Infinity|Infinity", "-0|-0");

        // Streamed changes: new rows, an update that leaves the TOASTed text and bytea out of the
        // change (Debezium sends its placeholder; the sink keeps the stored values), a delete.
        source.execute(ROWS.replace("(1, -32768", "(11, -32768").replace("(2, NULL", "(12, NULL")
                        .replace("(3, 0", "(13, 0").replace("(4, 1", "(14, 1").replace("(5, NULL", "(15, NULL"),
                "UPDATE public.all_types SET i4 = 7, f8 = 'NaN' WHERE id = 1",
                "DELETE FROM public.all_types WHERE id = 4");
        awaitTargetEqualsSource("the streamed changes");
        assertThat(target.rowsAsText("SELECT i4, length(t), length(by) FROM public.all_types WHERE id = 1"))
                .containsExactly("7|300003|200000");
        Struct update = updateOf(topic, 1L);
        assertThat(update.getStruct("after").get("t")).isEqualTo("__debezium_unavailable_value");
        assertThat(update.getStruct("after").get("by")).as("the placeholder of a bytea, from Avro a ByteBuffer")
                .isEqualTo(ByteBuffer.wrap("__debezium_unavailable_value".getBytes(StandardCharsets.UTF_8)));

        // A column added mid-stream: the sink adds it and fills it from then on.
        source.execute("ALTER TABLE public.all_types ADD COLUMN extra numeric(7,2)",
                "INSERT INTO public.all_types (id, extra, f4) VALUES (20, -12345.67, 'NaN')",
                "UPDATE public.all_types SET extra = 0.5 WHERE id = 2");
        awaitTargetEqualsSource("the rows after the column was added");
        assertThat(target.scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'public.all_types'::regclass AND attname = 'extra'")).isEqualTo("numeric(7,2)");
        assertThat(target.count("SELECT count(*) FROM tidemark.iteration_table"))
                .as("iteration markers travel in Avro too").isPositive();
        cluster.connect().deleteConnector("avro-sink");
        cluster.connect().deleteConnector("avro-source");
    }

    /** The update event of a row as the topic holds it, read with the test's own Avro converter. */
    private static Struct updateOf(String topic, long id) throws Exception {
        Converter values = AvroConverters.converter(false);
        for (ConsumerRecord<byte[], byte[]> r : cluster.connect().kafka().consumeAll(30_000, topic)) {
            if (r.value() != null && values.toConnectData(topic, r.value()).value() instanceof Struct v
                    && "u".equals(v.schema().field("op") == null ? null : v.getString("op"))
                    && v.getStruct("after").get("id").equals(id)) {
                return v;
            }
        }
        throw new AssertionError("no update of id " + id + " in " + topic);
    }

    @Test
    void throughJsonTheSourceWarnsOncePerColumnAndCountsTheLostFloats() throws Exception {
        source.execute("CREATE TABLE public.floats (id int PRIMARY KEY, f4 real, f8 double precision, ok double precision)",
                "INSERT INTO public.floats VALUES (1, 'NaN', 1, 1), (2, 'Infinity', '-Infinity', 2), (3, 1, 'NaN', 3)");
        Map<String, String> json = Map.of("key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter");
        try (LogCapture warnings = LogCapture.warnings()) {
            cluster.createTopic("jshop.public.floats", 1);
            cluster.startConnector("json-source", sourceConfig("jshop", "floats", json), 1);
            ObjectName mbean = new ObjectName("kafka.connect:type=plugins,connector=json-source,task=0");
            await("the count of non-finite floats").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                    ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(mbean,
                            "json-non-finite-floats-total")).longValue() == 4);
            source.execute("INSERT INTO public.floats VALUES (4, '-Infinity', 'NaN', 4)");
            await("the count after streamed rows").atMost(Duration.ofSeconds(60)).until(() ->
                    ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(mbean,
                            "json-non-finite-floats-total")).longValue() == 6);
            List<String> about = warnings.messages().stream().filter(m -> m.contains("of topic jshop.public.floats")).toList();
            assertThat(about).as("one warning per column").hasSize(2);
            assertThat(about).anySatisfy(m -> assertThat(m).startsWith("Column f4 of topic jshop.public.floats holds NaN")
                    .contains("value.converter is JsonConverter").contains("read back as 0.0")
                    .contains(AvroConverters.CONVERTER_CLASS));
            assertThat(about).anySatisfy(m -> assertThat(m).startsWith("Column f8 of topic jshop.public.floats"));
        }
        cluster.connect().deleteConnector("json-source");
    }
}
