package io.tidemark.quickstart.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The initial load's line from a control schema the sink created, with rows as its flushes write them
 * (docs/control-schema.md, the pace columns of {@code iteration_table}).
 */
class LoadLineTest {

    @RegisterExtension
    static final ControlSchemaDatabase db = new ControlSchemaDatabase("qs_load");

    @Test
    void theTablesStillLoadingWithTheirRowsAndPaceNeitherDoneTablesNorAGuessedEnd() throws Exception {
        LoadLine load = new LoadLine("tidemark", "demo");
        try (Connection c = db.connect()) {
            db.execute("INSERT INTO tidemark.table_state (project, source_table, target_table, topic, status, mode, iteration)"
                    + " VALUES ('demo', 'shop.a', 'shop.a', 'demo.shop.a', 'RUNNING', 'PARTIAL', NULL),"
                    + " ('demo', 'shop.b', 'shop.b', 'demo.shop.b', 'RUNNING', 'PARTIAL', NULL),"
                    + " ('demo', 'shop.c', 'shop.c', 'demo.shop.c', 'RUNNING', 'PARTIAL', 0)");
            assertThat(load.read(c)).as("nothing applied yet").isNull();
            db.execute("INSERT INTO tidemark.iteration_table (project, iteration, source_table, mode, upserted, flushed_at,"
                    + " pace_at, pace_upserted) VALUES ('demo', 0, 'shop.a', 'PARTIAL', 1200, clock_timestamp(),"
                    + " clock_timestamp() - interval '10 seconds', 200), ('demo', 0, 'shop.b', 'PARTIAL', 20, NULL, NULL, NULL),"
                    + " ('demo', 0, 'shop.c', 'PARTIAL', 999, clock_timestamp(), clock_timestamp() - interval '1 second', 0)");
            assertThat(load.read(c)).isEqualTo("initial load: 1,220 rows applied so far in 2 tables, 100 rows/s");
        }
    }

    @Test
    void aLoadWithOneReadingOnlyHasNoPaceYetNotZeroRowsPerSecond() throws Exception {
        LoadLine load = new LoadLine("tidemark", "first");
        try (Connection c = db.connect()) {
            db.execute("INSERT INTO tidemark.table_state (project, source_table, target_table, topic, status, mode, iteration)"
                    + " VALUES ('first', 'shop.a', 'shop.a', 'first.shop.a', 'RUNNING', 'PARTIAL', NULL)",
                    "INSERT INTO tidemark.iteration_table (project, iteration, source_table, mode, upserted, flushed_at,"
                    + " pace_at, pace_upserted) VALUES ('first', 0, 'shop.a', 'PARTIAL', 40, clock_timestamp(), NULL, NULL)");
            assertThat(load.read(c)).isEqualTo("initial load: 40 rows applied so far in 1 table, pace not known yet");
        }
    }

    @Test
    void theLineWithoutAPaceYet() {
        assertThat(LoadLine.of(1, 40, null)).isEqualTo("initial load: 40 rows applied so far in 1 table, pace not known yet");
        assertThat(LoadLine.of(0, 0, null)).isNull();
    }
}
