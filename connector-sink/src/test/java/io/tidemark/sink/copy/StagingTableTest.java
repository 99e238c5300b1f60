package io.tidemark.sink.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.naming.NameCase;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.schema.ColumnModel;
import io.tidemark.sink.schema.TableModel;
import io.tidemark.sink.schema.TableModels;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.sink.types.CopyBinaryWriter;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.debezium.MicroDurationType;
import io.tidemark.sink.types.debezium.MicroTimestampType;

/** A staging table's COPYs are binary only when every column's type has a binary form for its target column. */
class StagingTableTest {

    private static final Schema KEY = SchemaBuilder.struct().field("ID", Schema.INT64_SCHEMA).build();

    private static SchemaBuilder row() {
        return SchemaBuilder.struct().field("ID", Schema.INT64_SCHEMA).field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
                .field("AMOUNT", Decimal.builder(2).optional().build())
                .field("AT", SchemaBuilder.int64().name(MicroTimestampType.LOGICAL_NAME).optional().build());
    }

    private static TableModel model(Schema row) {
        return new TableModels(new NameMapper(NameCase.LOWER, null, Map.of(), Map.of(), Map.of()), ColumnTypes.standard())
                .model(SourceTable.fromTopic("ora.HR.EMP"), KEY, row);
    }

    /** The column types the sink creates for the model. */
    private static Map<String, String> created(TableModel model) {
        Map<String, String> types = new HashMap<>();
        for (ColumnModel c : model.columns()) {
            types.put(c.name(), c.sqlType());
        }
        return types;
    }

    /** Both COPYs in one format, and the rows written into that format's buffer. */
    private static void assertCopies(StagingTable staging, String format, Class<?> buffer) {
        assertThat(staging.binary()).isEqualTo(format.equals("binary"));
        assertThat(staging.copySql()).endsWith("FROM STDIN (FORMAT " + format + ")");
        assertThat(staging.directCopySql()).endsWith("FROM STDIN (FORMAT " + format + ")");
        assertThat(staging.rows(new CopyTextWriter(), new CopyBinaryWriter()).buffer()).isInstanceOf(buffer);
    }

    @Test
    void everyColumnWithABinaryFormMakesItsCopiesBinary() {
        TableModel model = model(row().build());
        assertCopies(new StagingTable("s", model, created(model)), "binary", CopyBinaryWriter.class);
    }

    @Test
    void oneColumnWithoutABinaryFormKeepsTheWholeTableText() {
        Schema interval = SchemaBuilder.int64().name(MicroDurationType.LOGICAL_NAME).optional().build();
        TableModel model = model(row().field("WAIT", interval).build());
        assertCopies(new StagingTable("s", model, created(model)), "text", CopyTextWriter.class);
    }

    @Test
    void anExistingColumnOfATypeWithoutABinaryFormForTheValuesKeepsItText() {
        TableModel model = model(row().build());
        Map<String, String> existing = created(model);
        existing.put("amount", "double precision"); // a pre-created column the sink does not write binary from a Decimal
        assertThat(new StagingTable("s", model, existing).binary()).isFalse();
        existing.put("amount", "public.money_amount"); // a domain: its base type is not known here
        assertThat(new StagingTable("s", model, existing).binary()).isFalse();
    }
}
