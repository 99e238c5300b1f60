package io.tidemark.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * {@code bin/tidemark quickstart} end to end, on what the package phase built
 * ({@code TIDEMARK_NO_BUILD=1}): a real broker and worker as child processes, the demo databases
 * on the tests' PostgreSQL under a name of this test's own. A first run stops by itself after three
 * iterations, its workload stopped and the target verified, equal to the source table by table and
 * row by row, and leaves nothing running; a second run in the same work directory starts cleanly
 * and stops on Ctrl-C (SIGINT), leaving nothing running either.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class QuickstartIT {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path LAUNCHER = BASEDIR.getParent().resolve("bin/tidemark");
    private static final Path WORK = BASEDIR.resolve("target/quickstart-it");
    private static final String PREFIX = "tm_qs_it_" + UUID.randomUUID().toString().substring(0, 6);
    private static final Pattern ITERATION = Pattern.compile(
            "(?m)^\\[ *([0-9.]+)s\\] iteration (\\d+): \\d+ upserted, \\d+ deleted \\(.+\\), applied in .+ · license: .+ of 1 GB \\(trial, .+\\)$");
    private static final Pattern ADDRESS = Pattern.compile(
            "(?m)^  (?:Connect REST API +http://|Kafka +|control API +http://)127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern CONTROL_API = Pattern.compile("(?m)^  control API +(http://\\S+) +token in (\\S+) ");

    @Test
    void threeIterationsThenAllStopsAndASecondRunStopsCleanlyOnCtrlC() throws Exception {
        Path firstOut = Files.createDirectories(WORK.getParent()).resolve("quickstart-it-first.txt");
        Process first = quickstart(firstOut, "--iterations", "3");
        assertThat(first.waitFor(4, TimeUnit.MINUTES)).as("the first run ends by itself").isTrue();
        String output = Files.readString(firstOut, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(first.exitValue()).as(output).isZero();
        List<Double> at = iterationTimes(output);
        assertThat(at).as(output).hasSize(3);
        System.out.printf("third completed iteration %.1f s after the quickstart started%n", at.get(2));
        assertThat(output).contains("3 iterations completed", "stopped: no process of the quickstart runs any more");
        assertNothingLeft(output);
        assertThat(output).as("the run ends on a verified target").containsPattern(
                "(?m)^\\[ *[0-9.]+s\\] verify: IN_SYNC: 4 of 4 tables in sync at iteration \\d+");
        // The workload stopped before that last iteration: the target must hold every table exactly, every row
        // and column, compared here by the test itself, not by Tidemark's own verification.
        PostgresTestDatabase target = PostgresTestDatabase.existing(PREFIX + "_target");
        PostgresTestDatabase source = PostgresTestDatabase.existing(PREFIX + "_source");
        for (String table : List.of("customers", "products", "orders", "order_lines")) {
            String rows = "SELECT * FROM shop." + table + " ORDER BY 1, 2";
            List<String> expected = source.rowsAsText(rows);
            assertThat(expected).as("rows of shop." + table + " in the source").isNotEmpty();
            assertThat(target.rowsAsText(rows)).as("shop." + table + " in the target, by content").isEqualTo(expected);
        }

        Path secondOut = WORK.getParent().resolve("quickstart-it-second.txt");
        Process second = quickstart(secondOut);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (iterationTimes(Files.readString(secondOut, StandardCharsets.UTF_8)).isEmpty()) {
            assertThat(second.isAlive()).as(Files.readString(secondOut, StandardCharsets.UTF_8)).isTrue();
            assertThat(System.nanoTime()).as("the second run's first iteration within 3 minutes").isLessThan(deadline);
            Thread.sleep(500);
        }
        checkTheControlApi(Files.readString(secondOut, StandardCharsets.UTF_8));
        new ProcessBuilder("kill", "-INT", Long.toString(second.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("Ctrl-C stops the second run").isTrue();
        String secondOutput = Files.readString(secondOut, StandardCharsets.UTF_8);
        System.out.println(secondOutput);
        assertThat(second.exitValue()).as(secondOutput).isEqualTo(130);
        assertThat(secondOutput).contains("stopping (Ctrl-C)", "stopped: no process of the quickstart runs any more")
                .doesNotContain("left running by an earlier quickstart");
        assertNothingLeft(secondOutput);
    }

    /** The control API the quickstart printed answers the CLI with the token it printed, and nothing without it. */
    private static void checkTheControlApi(String output) throws Exception {
        Matcher m = CONTROL_API.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        String url = m.group(1);
        Path token = Path.of(m.group(2));
        assertThat(Files.getPosixFilePermissions(token)).as("only its owner reads the token")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url + "/projects/demo")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("without the token").isEqualTo(401);

        Path statusOut = WORK.getParent().resolve("quickstart-it-status.txt");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "status", "demo", "--api", url,
                "--token-file", token.toString()).redirectErrorStream(true).redirectOutput(statusOut.toFile());
        builder.environment().put("TIDEMARK_NO_BUILD", "1");
        Process status = builder.start();
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(statusOut, StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(status.exitValue()).as(text).isZero();
        assertThat(text).contains("project demo: RUNNING", "demo-source", "demo-sink", "shop.orders");
    }

    private static Process quickstart(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "quickstart", "--database-prefix", PREFIX,
                "--work-dir", WORK.toString(), "--pg-url", PostgresTestDatabase.ADMIN_URL,
                "--pg-user", PostgresTestDatabase.USER, "--pg-password", PostgresTestDatabase.PASSWORD));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("TIDEMARK_NO_BUILD", "1");
        builder.environment().remove("ORACLE_HOST"); // the PostgreSQL demo, whatever the machine has
        return builder.start();
    }

    private static List<Double> iterationTimes(String output) {
        List<Double> times = new ArrayList<>();
        Matcher m = ITERATION.matcher(output);
        while (m.find()) {
            times.add(Double.parseDouble(m.group(1)));
        }
        return times;
    }

    /** No broker or worker of this work directory, no listener on their ports, no replication slot of the demo. */
    private static void assertNothingLeft(String output) throws Exception {
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(WORK.toString())).orElse(false)))
                .as("processes of the quickstart").isEmpty();
        Matcher ports = ADDRESS.matcher(output);
        int found = 0;
        while (ports.find()) {
            found++;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(ports.group(1))), 1000);
                throw new AssertionError("port " + ports.group(1) + " still answers");
            } catch (IOException expected) {
                // nothing listens there any more
            }
        }
        assertThat(found).as("the Kafka, Connect and control API addresses in the output").isEqualTo(3);
        try (Connection admin = PostgresTestDatabase.adminConnection(); Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE database = '" + PREFIX + "_source'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("replication slots of " + PREFIX + "_source").isZero();
        }
    }

    /** The demo's databases, dropped as the tests' own are: sessions ended, replication slots dropped, then the database. */
    @AfterAll
    static void dropDatabases() {
        for (String db : List.of(PREFIX + "_source", PREFIX + "_target")) {
            PostgresTestDatabase.existing(db).close();
        }
    }
}
