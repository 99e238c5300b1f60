package io.tidemark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the benchmark's own, the source of the initial load: Debezium's PostgreSQL
 * connector (the stand-in for Oracle, as in the integration tests) needs {@code wal_level=logical},
 * and the shared server the tests use may run without it, which only a restart could change. This
 * one is created in a temporary directory, started on its own port, and stopped at the end.
 */
final class SourceServer implements AutoCloseable {

    static final String USER = "postgres";
    private final Path dir;
    private final int port;
    private final String bin;

    private SourceServer(Path dir, int port, String bin) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
    }

    /** initdb and start; as root, both run as the {@code postgres} user (PostgreSQL refuses root). */
    static SourceServer start(int port) throws IOException, InterruptedException {
        String bin = System.getProperty("bench.pg.bin", "/usr/lib/postgresql/15/bin");
        Path dir = Files.createTempDirectory("tidemark-bench-source");
        SourceServer server = new SourceServer(dir, port, bin);
        if ("root".equals(System.getProperty("user.name"))) {
            server.run(List.of("chown", "-R", USER, dir.toString())); // initdb refuses root; postgres owns the directory
        }
        server.run(server.asPostgres(bin + "/initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", USER,
                "-E", "UTF8", "--no-sync"));
        server.run(server.asPostgres(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 "
                        + "-c unix_socket_directories=" + dir + " -c wal_level=logical -c max_wal_senders=8 "
                        + "-c max_replication_slots=8 -c fsync=off -c shared_buffers=256MB", "start"));
        return server;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    int port() {
        return port;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    private List<String> asPostgres(String... command) {
        List<String> out = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            out.addAll(List.of("runuser", "-u", USER, "--"));
        }
        out.addAll(List.of(command));
        return out;
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws Exception {
        run(asPostgres(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
}
