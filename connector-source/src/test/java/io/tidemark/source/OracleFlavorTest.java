package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tidemark.source.config.ConfigProblem;

class OracleFlavorTest {

    private final OracleFlavor flavor = new OracleFlavor();

    @Test
    void logMinerMustNotFilterOutTheUserWhoWritesTheMarkerRows() {
        assertThat(flavor.configProblems(Map.of("database.user", "c##dbzuser"))).isEmpty();
        assertThat(flavor.configProblems(Map.of("database.user", "c##dbzuser",
                "log.mining.username.exclude.list", "BATCH, C##DBZUSER")))
                .extracting(ConfigProblem::key).containsExactly("log.mining.username.exclude.list");
        assertThat(flavor.configProblems(Map.of("database.user", "c##dbzuser",
                "log.mining.username.include.list", "APP")))
                .extracting(ConfigProblem::key).containsExactly("log.mining.username.include.list");
        assertThat(flavor.configProblems(Map.of("database.user", "c##dbzuser",
                "log.mining.username.include.list", "APP,c##dbzuser"))).isEmpty();
    }
}
