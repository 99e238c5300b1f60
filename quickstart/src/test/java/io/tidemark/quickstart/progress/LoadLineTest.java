package io.tidemark.quickstart.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tidemark.sink.iteration.InitialLoad;

class LoadLineTest {

    @Test
    void theTablesStillLoadingSummedWithTheirPaceAndNoGuessedEnd() {
        assertThat(LoadLine.of(List.of(new InitialLoad.Reading("demo.customers", 600, 100L, 2.0, 0.5),
                new InitialLoad.Reading("demo.orders", 40, null, null, 0.1)))).isEqualTo(
                "initial load: 640 rows of unknown (no estimate)  250 rows/s  ETA - (2 tables loading)");
    }

    @Test
    void nothingBeforeTheFirstRowOrOnceNoTableLoads() {
        assertThat(LoadLine.of(List.of(new InitialLoad.Reading("demo.customers", 0, null, null, null)))).isNull();
        assertThat(LoadLine.of(List.of())).isNull();
    }
}
