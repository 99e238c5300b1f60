package io.tidemark.source.marker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.debezium.relational.Table;
import io.tidemark.common.marker.IterationMarker;
import io.tidemark.source.config.IterationConfig;
import io.tidemark.source.oracle.DebeziumOracleColumns;
import io.tidemark.source.marker.MarkerEventRecognizer.Boundary;

/** Marker rows of the Oracle marker table as Debezium's Oracle connector emits them, under each decimal mode. */
class MarkerEventRecognizerTest {

    private static final OracleMarkerDialect ORACLE = new OracleMarkerDialect();
    private static final MarkerTables TABLES = ORACLE.tables(new IterationConfig(Map.of(IterationConfig.SCHEMA, "c##dbzuser")));
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.oracle.Source")
            .field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("scn", Schema.OPTIONAL_STRING_SCHEMA).field("commit_scn", Schema.OPTIONAL_STRING_SCHEMA).build();

    private static SourceRecord inserted(Struct row) {
        Schema envelope = SchemaBuilder.struct().name("erp.C__DBZUSER.TIDEMARK_ITERATION.Envelope")
                .field("before", row.schema()).field("after", row.schema()).field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA).build();
        Struct source = new Struct(SOURCE).put("schema", "C##DBZUSER").put("table", "TIDEMARK_ITERATION")
                .put("scn", "4100").put("commit_scn", "4107");
        return new SourceRecord(Map.of("server", "erp"), Map.of("scn", "4107"), "erp.C__DBZUSER.TIDEMARK_ITERATION",
                null, null, null, envelope, new Struct(envelope).put("after", row).put("source", source).put("op", "c"));
    }

    @ParameterizedTest(name = "decimal.handling.mode={0}")
    @ValueSource(strings = {"precise", "string", "double"})
    void aFinalMarkerRowIsFinalWhateverTheDecimalMode(String decimalMode) {
        Table table = DebeziumOracleColumns.parse(ORACLE.createMarkerTable(TABLES).get(0), "FREEPDB1", "C##DBZUSER",
                "TIDEMARK_ITERATION");
        Struct row = new DebeziumOracleColumns(Map.of("decimal.handling.mode", decimalMode)).row(table, Map.of(
                "ITERATION", "7", "STREAM_NAME", "erp", "IS_FINAL", "1", "REASON", "REQUEST", "CREATED_TS_MS", "1700000000000"));

        MarkerEventRecognizer.Result result = new MarkerEventRecognizer(TABLES, ORACLE, "erp").classify(inserted(row));

        assertThat(result).isInstanceOf(Boundary.class);
        IterationMarker marker = ((Boundary) result).marker();
        assertThat(marker.iteration()).isEqualTo(7);
        assertThat(marker.createdTsMs()).isEqualTo(1_700_000_000_000L);
        assertThat(marker.sourcePosition()).isEqualTo("4107");
        assertThat(marker.isFinal()).as("IS_FINAL arrived as " + row.get("IS_FINAL").getClass().getSimpleName()
                + " " + row.get("IS_FINAL")).isTrue();
    }
}
