package io.tidemark.source.marker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tidemark.source.config.IterationConfig;
import io.tidemark.source.marker.MarkerRow.Reason;
import io.tidemark.source.marker.RecordingJdbc.Executed;

/** The marker row insert as the Oracle driver receives it (a recording stand-in: no Oracle here). */
class JdbcMarkerStoreTest {

    private static final OracleMarkerDialect ORACLE = new OracleMarkerDialect();
    private static final MarkerTables TABLES = ORACLE.tables(new IterationConfig(Map.of(IterationConfig.SCHEMA, "c##dbzuser")));

    /**
     * IS_FINAL is a NUMBER(1): ojdbc 23 binds setBoolean as SQL BOOLEAN against a 23ai server, which
     * SQL need not convert into a NUMBER. An integer binds the same on every release.
     */
    @Test
    void theOracleMarkerRowBindsItsFinalFlagAsANumber() throws SQLException {
        RecordingJdbc jdbc = new RecordingJdbc(sql -> {
            if (sql.contains("NEXTVAL")) {
                return List.<Object[]>of(new Object[] {7L});
            }
            return sql.contains("TIDEMARK_ITERATION_REQUEST") ? List.<Object[]>of(new Object[] {3L, "FINAL"}) : List.of();
        });
        JdbcMarkerStore store = new JdbcMarkerStore(jdbc::connection, ORACLE, TABLES);

        assertThat(store.writeMarker("erp", null, 1_700_000_000_000L)).hasValueSatisfying(row -> {
            assertThat(row.iteration()).isEqualTo(7);
            assertThat(row.isFinal()).isTrue();
        });

        Executed insert = jdbc.executed().stream().filter(e -> e.sql().startsWith("INSERT INTO C##DBZUSER.TIDEMARK_ITERATION "))
                .findFirst().orElseThrow();
        assertThat(insert.binds().get(3)).as("IS_FINAL").isEqualTo(new RecordingJdbc.Bind("setInt", 1));
        assertThat(insert.binds().get(4)).isEqualTo(new RecordingJdbc.Bind("setString", Reason.REQUEST.name()));
    }
}
