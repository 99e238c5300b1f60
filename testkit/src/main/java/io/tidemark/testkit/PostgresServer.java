package io.tidemark.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local PostgreSQL server itself, for tests that restart it. A restart needs the right to do
 * so: {@code TIDEMARK_TEST_PG_RESTART} (a shell command that restarts the server the tests use),
 * or, on Debian's packaging as root, {@code pg_ctlcluster restart} of the cluster on the tests'
 * port. Where neither exists, {@link #restart} says why instead of restarting.
 */
public final class PostgresServer {

    private PostgresServer() {
    }

    /**
     * Restarts the server and waits until it accepts connections again.
     *
     * @return how long the server was gone, or empty with the reason it could not be restarted
     *         (in {@code whyNot})
     */
    public static Optional<Duration> restart(StringBuilder whyNot) {
        List<String> command = restartCommand(whyNot);
        if (command == null) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                whyNot.append("the restart command did not finish within 120 s: ").append(command);
                return Optional.empty();
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                whyNot.append("the restart command failed (exit ").append(p.exitValue()).append("): ").append(output);
                return Optional.empty();
            }
        } catch (IOException e) {
            whyNot.append("cannot run ").append(command).append(": ").append(e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            whyNot.append("interrupted");
            return Optional.empty();
        }
        awaitAcceptingConnections(Duration.ofSeconds(60));
        return Optional.of(Duration.ofNanos(System.nanoTime() - start));
    }

    private static List<String> restartCommand(StringBuilder whyNot) {
        String configured = System.getenv("TIDEMARK_TEST_PG_RESTART");
        if (configured != null && !configured.isBlank()) {
            return List.of("sh", "-c", configured);
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            whyNot.append("not root and TIDEMARK_TEST_PG_RESTART is not set");
            return null;
        }
        try {
            Process p = new ProcessBuilder("pg_lsclusters", "-h").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            String port = Integer.toString(portOf(PostgresTestDatabase.ADMIN_URL));
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[2].equals(port) && f[3].startsWith("online")) {
                    return List.of("pg_ctlcluster", "--skip-systemctl-redirect", f[0], f[1], "restart", "-m", "fast");
                }
            }
            whyNot.append("pg_lsclusters shows no online cluster on port ").append(port);
            return null;
        } catch (IOException e) {
            whyNot.append("pg_lsclusters is not available (").append(e.getMessage())
                    .append(") and TIDEMARK_TEST_PG_RESTART is not set");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            whyNot.append("interrupted");
            return null;
        }
    }

    private static int portOf(String url) {
        String rest = url.substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
    }

    private static void awaitAcceptingConnections(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            try (Connection c = PostgresTestDatabase.adminConnection()) {
                return;
            } catch (java.sql.SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL does not accept connections " + atMost.toSeconds()
                            + " s after its restart: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
