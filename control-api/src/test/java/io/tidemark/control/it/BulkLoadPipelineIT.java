package io.tidemark.control.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.actions.ProjectActions;
import io.tidemark.control.project.ConnectorFile;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.control.project.Project;
import io.tidemark.control.verify.Verifier;
import io.tidemark.sink.SinkPrecheck;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The bulk initial load through the whole pipeline, started as a user starts it ({@code start} of a
 * project whose source says {@code iteration.initial.load=bulk}): Tidemark's PostgreSQL source
 * (Debezium, {@code snapshot.mode=no_data}), the bulk load, marker 0, then the sink with two tasks,
 * one table FULL and one PARTIAL, while a workload changes the source all along: updates that leave
 * large TOASTed values untouched (Debezium sends them as unavailable), rows inserted and updated in
 * one transaction, deletes, primary key changes (also of rows whose TOASTed body has just
 * changed). Once the workload rests and an iteration after it is applied, the target equals the source by content, and Tidemark's verification says IN_SYNC.
 * Before that, a first start refused for a table without a key shows that a failed load leaves no
 * marker 0, no sink and no target table behind, and a second one is refused for a marker request
 * left pending by hand, which the source would have turned into marker 0 before the load.
 */
class BulkLoadPipelineIT {

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("bulk-load");

    private static final String X_ROWS = "SELECT id, balance, md5(body), md5(data), length(body) FROM %s ORDER BY id";
    private static final String Y_ROWS = "SELECT id, name, note FROM %s ORDER BY id";

    @Test
    void aLoadUnderChangesEndsEqualToTheSourceWithBothModesAndTwoTasks() throws Exception {
        PostgresTestDatabase target = PIPELINE.db();
        PostgresTestDatabase source = PIPELINE.database("bulk_src");
        ConnectTestCluster connect = PIPELINE.connect();
        source.execute("CREATE TABLE public.x (id int PRIMARY KEY, balance numeric(12,2), body text, data bytea)",
                "CREATE TABLE public.y (id bigint, name varchar(40), note text)", // its key comes after a refused start
                // Every tenth body is far over the TOAST threshold, stored out of line and compressed poorly.
                "INSERT INTO public.x SELECT g, g / 4.0, CASE WHEN g % 10 = 0 THEN (SELECT string_agg(md5((g * 1000 + i)"
                        + "::text), '') FROM generate_series(1, 200) i) ELSE 'body ' || g END, decode(md5(g::text), 'hex')"
                        + " FROM generate_series(1, 20000) g",
                "INSERT INTO public.y SELECT g, 'name ' || g, repeat('y', g % 50) FROM generate_series(1, 30000) g",
                "ANALYZE");
        ProjectServices shop = bulkProject(ShopProject.services(connect, source, target, target.jdbcUrl()).get("shop"));

        // A table the load cannot copy stops the start before any row is written, marker 0 or sink; fixed, it starts.
        assertThatThrownBy(() -> new ProjectActions(shop).start(Duration.ofMinutes(2), line -> { }))
                .hasMessageContaining("start stopped: public.y: no primary key")
                .hasMessageContaining("Marker 0 was not asked for and the sink not created");
        assertThat(connect.connect().connectors()).containsExactly("shop-source");
        assertThat(target.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'shop_t'")).isZero();
        source.execute("ALTER TABLE public.y ADD PRIMARY KEY (id)");

        // A marker request waiting in the source before any load completed would become marker 0 before the load.
        connect.connect().stopConnector("shop-source");
        // STOPPED without tasks: the source's marker writer is closed (it would turn the request into marker 0 at once).
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            var status = connect.connect().connectorStatus("shop-source");
            return "STOPPED".equals(status.connector().state()) && status.tasks().isEmpty();
        });
        source.execute("INSERT INTO tidemark_shop.tidemark_iteration_request (stream_name, action) VALUES ('shop', 'CLOSE')");
        assertThatThrownBy(() -> new ProjectActions(shop).start(Duration.ofMinutes(2), line -> { }))
                .hasMessageContaining("is pending but no bulk load completed");
        source.execute("UPDATE tidemark_shop.tidemark_iteration_request SET handled_at = now()");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong changes = new AtomicLong();
        AtomicLong lobUntouched = new AtomicLong();
        Thread workload = new Thread(() -> work(source, stop, changes, lobUntouched), "bulk-load-workload");
        workload.start();
        long[] atSnapshot = new long[2];
        long[] atMarkerZero = new long[2];
        ActionResult started = new ProjectActions(shop).start(Duration.ofMinutes(3), line -> {
            System.out.println("start: " + line);
            if (line.startsWith("the load reads the source as of WAL")) {
                atSnapshot[0] = changes.get();
                atSnapshot[1] = lobUntouched.get();
            } else if (line.startsWith("marker 0 written")) {
                atMarkerZero[0] = changes.get();
                atMarkerZero[1] = lobUntouched.get();
            }
        });
        assertThat(started.done()).as(started.message()).isTrue();
        assertThat(started.steps()).anyMatch(s -> s.startsWith("public.x -> shop_t.x: "))
                .anyMatch(s -> s.startsWith("source snapshot ") && s.endsWith("; 3 worker(s)"))
                .anyMatch(s -> s.startsWith("shop-sink: created"));
        // The test proves something only if the source changed between the load's snapshot and marker 0,
        // including updates whose TOASTed values only the target had.
        assertThat(atMarkerZero[0] - atSnapshot[0]).as("changes between the snapshot and marker 0").isPositive();
        assertThat(atMarkerZero[1] - atSnapshot[1]).as("updates leaving a TOASTed body untouched, in that window")
                .isPositive();

        Thread.sleep(5_000); // the sink applies iteration 0 and later ones while the workload goes on
        stop.set(true);
        workload.join();
        Instant rested = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                target.count("SELECT count(*) FROM tm_shop.iteration WHERE project = 'shop' AND status = 'APPLIED'"
                        + " AND marker_created_at > ?", Timestamp.from(rested)) > 0);
        System.out.println("workload: " + changes.get() + " transactions, " + lobUntouched.get()
                + " updates leaving a TOASTed body untouched");

        assertThat(target.rowsAsText(X_ROWS.formatted("shop_t.x"))).isEqualTo(source.rowsAsText(X_ROWS.formatted("public.x")));
        assertThat(target.rowsAsText(Y_ROWS.formatted("shop_t.y"))).isEqualTo(source.rowsAsText(Y_ROWS.formatted("public.y")));
        // The source keeps closing iterations every 1.5 s, so a FULL table may be held at the latest marker
        // (WAITING) while the other table's partitions reach it: both are healthy; a stopped table is not.
        assertThat(target.rowsAsText("SELECT source_table, mode, status FROM tm_shop.table_state ORDER BY 1"))
                .hasSize(2)
                .satisfiesExactly(
                        x -> assertThat(x).isIn("public.x|FULL|RUNNING", "public.x|FULL|WAITING"),
                        y -> assertThat(y).isEqualTo("public.y|PARTIAL|RUNNING"));
        assertThat(target.count("SELECT count(*) FROM tm_shop.error_rows")).isZero();

        Verifier.Options d = Verifier.Options.defaults();
        Verifier.Result verified = new Verifier(settings(target), settings(source), "tm_shop", "shop").run(
                new Verifier.Options(List.of(), null, false, d.rangeRows(), d.rowThreshold(), d.cap(), 2,
                        Duration.ofSeconds(30)), System.out::println, new AtomicBoolean());
        assertThat(verified.status()).as(verified.message()).isEqualTo("IN_SYNC");
        connect.connect().deleteConnector("shop-sink");
        connect.connect().deleteConnector("shop-source");
        shop.close();
    }

    private static void work(PostgresTestDatabase source, AtomicBoolean stop, AtomicLong changes, AtomicLong lobUntouched) {
        Random random = new Random(11);
        int next = 100_000;
        while (!stop.get()) {
            int id = 1 + random.nextInt(20_000);
            switch (random.nextInt(7)) {
                case 0, 1 -> {
                    // Ids ending in 0 have a TOASTed body: Debezium sends it as unavailable; only the target has it.
                    source.execute("UPDATE public.x SET balance = balance + 1 WHERE id = " + (id / 10 * 10 + 10));
                    lobUntouched.incrementAndGet();
                }
                case 2 -> {
                    int n = next++;
                    source.execute("BEGIN; INSERT INTO public.x VALUES (" + n + ", 1, (SELECT string_agg(md5(i::text), '')"
                            + " FROM generate_series(" + n + ", " + n + " + 200) i), '\\x0102'); UPDATE public.x SET balance"
                            + " = 2 WHERE id = " + n + "; COMMIT");
                }
                case 3 -> source.execute("DELETE FROM public.x WHERE id = " + id);
                case 6 -> {
                    // A new TOASTed body, then the row's key changes without touching it (two transactions): the
                    // moved row must keep the new body, whichever task gets the old key's changes first.
                    int k = id / 10 * 10 + 10;
                    int n = next++;
                    source.execute("UPDATE public.x SET body = (SELECT string_agg(md5((i * 7)::text), '') FROM "
                            + "generate_series(" + n + ", " + n + " + 200) i) WHERE id = " + k,
                            "UPDATE public.x SET id = " + n + " WHERE id = " + k);
                }
                case 4 -> source.execute("UPDATE public.y SET id = id + 1000000, note = 'moved' WHERE id = " + id);
                default -> source.execute("UPDATE public.y SET name = 'n' || " + random.nextInt(1000) + " WHERE id = " + id);
            }
            changes.incrementAndGet();
        }
    }

    /** The shop project with its source set for a bulk load and its sink on two tasks, public.x FULL. */
    private static ProjectServices bulkProject(ProjectServices shop) {
        Project p = shop.project();
        Map<String, String> source = new HashMap<>(p.source().config());
        source.put("snapshot.mode", "no_data");
        source.put("iteration.initial.load", "bulk");
        source.put("iteration.initial.load.workers", "3");
        source.put("iteration.interval.ms", "1500");
        source.put("topic.creation.default.partitions", "2");
        Map<String, String> sink = new HashMap<>(p.sink().config());
        sink.put("tasks.max", "2");
        sink.put("consistency.mode.overrides", "public.x:full");
        Project bulk = new Project(p.name(), p.connect(), new ConnectorFile(p.source().name(), p.source().file(), source),
                new ConnectorFile(p.sink().name(), p.sink().file(), sink), new SinkPrecheck(sink), p.sourceDatabase(),
                p.targetDatabase(), p.controlSchema(), p.controlProject(), p.requestTable(), p.kafka(), p.strimzi(),
                p.defaultWait());
        shop.close();
        return ProjectServices.of(bulk, Map.of());
    }

    private static DatabaseSettings settings(PostgresTestDatabase db) {
        return new DatabaseSettings(db.jdbcUrl(), db.user(), db.password());
    }
}
