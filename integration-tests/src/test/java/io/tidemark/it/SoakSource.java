package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The source side of the pipeline soak: the account tables {@code x} and {@code y} (money moved
 * between them, their total fixed) and two tables of documents, {@code doc} and {@code note},
 * whose large text and bytea values PostgreSQL TOASTs. With the default replica identity, an
 * update that does not touch them — the same transaction's insert included — sends Debezium's
 * unavailable-value placeholder (as {@link LobPipelineIT} shows).
 */
final class SoakSource {

    static final AccountTransfers MONEY = new AccountTransfers(30, 1_000);
    static final List<String> TABLES = List.of("x", "y", "doc", "note");

    /** A text of 200 md5s (6400 characters) and bytes of 100 (1600 bytes) that PostgreSQL cannot compress. */
    private static final String BIG_TEXT = "(SELECT string_agg(md5(random()::text || g), '') FROM generate_series(1, 200) g)";
    private static final String BIG_BYTES = "(SELECT decode(string_agg(md5(random()::text || g), ''), 'hex')"
            + " FROM generate_series(1, 100) g)";
    /** Every column of a row, by content, on either side. */
    private static final Map<String, String> CONTENT = Map.of(
            "x", "SELECT id, balance FROM %s.x ORDER BY id",
            "y", "SELECT id, balance FROM %s.y ORDER BY id",
            "doc", "SELECT id, name, md5(body), length(body), md5(blob), length(blob) FROM %s.doc ORDER BY id",
            "note", "SELECT id, name, md5(body), length(body), md5(blob), length(blob) FROM %s.note ORDER BY id");
    private static final int FIRST_ROWS = 20;

    private SoakSource() {
    }

    static void createIn(PostgresTestDatabase source) {
        MONEY.createIn(source);
        for (String t : List.of("doc", "note")) {
            source.execute("CREATE TABLE public." + t + " (id int PRIMARY KEY, name text, body text, blob bytea)",
                    "INSERT INTO public." + t + " SELECT g, 'first ' || g, " + BIG_TEXT + ", " + BIG_BYTES
                            + " FROM generate_series(1, " + FIRST_ROWS + ") g");
        }
    }

    /**
     * Changes both document tables until stopped, a transaction each: inserts updated in the same
     * transaction, updates of older rows that leave the large values alone, updates that change
     * them, key changes (when {@code keyChanges}) and deletes. Returns how many rows changed, by kind.
     */
    static Map<String, Integer> changeDocuments(PostgresTestDatabase source, long seed, boolean keyChanges,
                                                AtomicBoolean stop) {
        Random random = new Random(seed);
        Map<String, Integer> changes = new TreeMap<>();
        int nextId = FIRST_ROWS + 1;
        try (Connection c = source.connect(); Statement st = c.createStatement()) {
            while (!stop.get()) {
                String t = random.nextBoolean() ? "public.doc" : "public.note";
                int id = nextId++;
                int old = 1 + random.nextInt(id - 1);
                int r = random.nextInt(10);
                String kind = r < 4 ? "insert+update in one transaction" : r < 7 ? "update leaving the LOBs"
                        : r == 7 ? "update of the LOBs" : r == 8 && keyChanges ? "key change"
                        : r == 8 ? "update leaving the LOBs" : "delete";
                String sql = switch (kind) {
                    case "insert+update in one transaction" -> "BEGIN; INSERT INTO " + t + " VALUES (" + id + ", 'new "
                            + id + "', " + BIG_TEXT + ", " + BIG_BYTES + "); UPDATE " + t + " SET name = 'updated " + id
                            + "' WHERE id = " + id + "; COMMIT";
                    case "update leaving the LOBs" -> "UPDATE " + t + " SET name = name || '+' WHERE id = " + old;
                    case "update of the LOBs" -> "UPDATE " + t + " SET body = " + BIG_TEXT + ", blob = " + BIG_BYTES
                            + " WHERE id = " + old;
                    case "key change" -> "UPDATE " + t + " SET id = " + id + " WHERE id = " + old;
                    default -> "DELETE FROM " + t + " WHERE id = " + old;
                };
                st.execute(sql);
                int count = sql.startsWith("BEGIN") ? 1 : st.getUpdateCount();
                changes.merge(kind, Math.max(count, 0), Integer::sum);
                Thread.sleep(15);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    /** Compares every row and column of every table, by content; returns the number of rows compared. */
    static int assertTargetEqualsSource(PostgresTestDatabase source, PostgresTestDatabase target, String targetSchema) {
        int rows = 0;
        for (String table : TABLES) {
            List<String> expected = source.rowsAsText(String.format(CONTENT.get(table), "public"));
            assertThat(target.rowsAsText(String.format(CONTENT.get(table), targetSchema)))
                    .as("%s.%s by content", targetSchema, table).isEqualTo(expected);
            rows += expected.size();
        }
        return rows;
    }
}
