package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * TOASTed values through the whole pipeline: Debezium's PostgreSQL connector (the table keeps
 * PostgreSQL's default replica identity, so an update that does not touch a TOASTed value sends
 * Debezium's unavailable-value placeholder) → Kafka, two partitions per topic → the sink with two
 * tasks, PARTIAL and FULL. Rows inserted and updated in one transaction, a primary-key change of
 * such rows, an update of older rows: both targets equal the source, compared by content.
 */
class LobPipelineIT {

    /** A text of 200 md5s (6400 characters) and bytes of 100 (1600 bytes) that PostgreSQL cannot compress. */
    private static final String BIG_TEXT = "(SELECT string_agg(md5(random()::text || g), '') FROM generate_series(1, 200) g)";
    private static final String BIG_BYTES = "(SELECT decode(string_agg(md5(random()::text || g), ''), 'hex')"
            + " FROM generate_series(1, 200) g)";
    /** Every column of a row as one md5, on either side. */
    private static final String CONTENT = "SELECT id, md5(coalesce(name, '-') || '|' || coalesce(body, '-') || '|'"
            + " || coalesce(encode(blob, 'hex'), '-')) FROM %s.doc ORDER BY id";

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("lob");

    private static PostgresTestDatabase target;
    private static PostgresTestDatabase source;
    private static ConnectTestCluster connect;

    @BeforeAll
    static void start() {
        target = PIPELINE.db();
        connect = PIPELINE.connect();
        source = PIPELINE.database("lob_src");
    }

    @Test
    void toastedValuesInsertedAndUpdatedInOneTransactionArriveWhole() {
        source.execute("CREATE TABLE public.doc (id int PRIMARY KEY, name text, body text, blob bytea)",
                "INSERT INTO public.doc SELECT g, 'old ' || g, " + BIG_TEXT + ", " + BIG_BYTES
                        + " FROM generate_series(1, 20) g");
        Map<String, String> sourceConfig = SourceConnectorConfigs.postgres(source, connect, "lob", List.of("doc"), 60_000);
        sourceConfig.put("topic.creation.default.partitions", "2");
        connect.startConnector("lob-source", sourceConfig, 1);
        for (String mode : List.of("full", "partial")) {
            connect.startConnector("lob-" + mode, SinkConnectorConfigs.inMode(target, "lob.public.doc", 2, "lob-" + mode,
                    mode), 2);
        }
        try {
            Awaitility.await("the snapshot applied").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> target.count("SELECT count(*) FROM partial_t.doc") == 20);
            for (int id = 21; id <= 60; id++) {
                // One transaction: the update's new image has the placeholder for body and blob.
                source.execute("BEGIN; INSERT INTO public.doc VALUES (" + id + ", 'new " + id + "', " + BIG_TEXT + ", "
                        + BIG_BYTES + "); UPDATE public.doc SET name = 'updated " + id + "' WHERE id = " + id + "; COMMIT");
            }
            source.execute("UPDATE public.doc SET id = id + 1000 WHERE id IN (3, 25, 26, 27)", // key changes
                    "UPDATE public.doc SET name = name || ' again' WHERE id BETWEEN 1 AND 10", // older rows
                    "UPDATE public.doc SET body = " + BIG_TEXT + " WHERE id = 30",
                    "BEGIN; UPDATE public.doc SET id = 2000 WHERE id = 40; UPDATE public.doc SET name = 'moved' WHERE id = 2000;"
                            + " COMMIT");
            ConsistencyPipelineIT.requestMarker(source, "lob");

            List<String> expected = source.rowsAsText(String.format(CONTENT, "public"));
            assertThat(expected).hasSize(60);
            for (String mode : List.of("partial", "full")) {
                Awaitility.await(mode + " target equal to the source by content").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> assertThat(
                                target.rowsAsText(String.format(CONTENT, mode + "_t"))).isEqualTo(expected));
                assertThat(target.count("SELECT count(*) FROM tm_" + mode + ".error_rows")).as(mode + " error rows")
                        .isZero();
                assertThat(target.rowsAsText("SELECT DISTINCT status FROM tm_" + mode + ".table_state")).as(mode)
                        .containsExactly("RUNNING");
            }
        } finally {
            for (String name : List.of("lob-full", "lob-partial", "lob-source")) {
                connect.connect().deleteConnector(name);
            }
        }
    }
}
