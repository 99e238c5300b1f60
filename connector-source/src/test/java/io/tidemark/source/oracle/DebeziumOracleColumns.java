package io.tidemark.source.oracle;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnection;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.connector.oracle.OracleValueConverters;
import io.debezium.connector.oracle.antlr.OracleDdlParser;
import io.debezium.jdbc.JdbcConfiguration;
import io.debezium.relational.Column;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables;
import io.debezium.relational.ValueConverter;

import oracle.sql.CharacterSet;

/**
 * Oracle tables and rows as Debezium's Oracle connector sees them while streaming: the table from
 * its DDL parser ({@link OracleDdlParser}, which reads the DDL LogMiner mines), each column's schema
 * and value from its {@link OracleValueConverters} under the connector settings given. No Oracle
 * database runs here: the one thing the converters ask the database, its character sets, is
 * answered by a stand-in connection (UTF-8), which opens no connection.
 */
public final class DebeziumOracleColumns {

    private final OracleValueConverters converters;

    public DebeziumOracleColumns(Map<String, String> connectorSettings) {
        OracleConnectorConfig config = new OracleConnectorConfig(Configuration.from(connectorSettings));
        OracleConnection noDatabase = new OracleConnection(JdbcConfiguration.empty(), c -> {
            throw new SQLException("no Oracle database in this test");
        }, false) {
            @Override
            public CharacterSet getNationalCharacterSet() {
                return CharacterSet.make(CharacterSet.AL16UTF16_CHARSET);
            }

            @Override
            public CharacterSet getDatabaseCharacterSet() {
                return CharacterSet.make(CharacterSet.AL32UTF8_CHARSET);
            }
        };
        this.converters = new OracleValueConverters(config, noDatabase);
    }

    /** The table Debezium's DDL parser makes of {@code ddl} (unquoted names, as Oracle stores them: upper case). */
    public static Table parse(String ddl, String pdb, String schema, String table) {
        OracleDdlParser parser = new OracleDdlParser(true, null, Tables.TableFilter.includeAll());
        parser.setCurrentDatabase(pdb);
        parser.setCurrentSchema(schema);
        Tables tables = new Tables();
        parser.parse(ddl.toUpperCase(Locale.ROOT) + ";", tables);
        return tables.forTable(new TableId(pdb, schema, table));
    }

    /** The column's field schema, or null where Debezium has none (the column is left out of the events). */
    public Schema schema(Column column) {
        SchemaBuilder builder = converters.schemaBuilder(column);
        return builder == null ? null : builder.optional().build();
    }

    /**
     * The row image Debezium emits for these column values as LogMiner's SQL gives them (text),
     * with the columns Debezium has a schema for.
     */
    public Struct row(Table table, Map<String, String> textValues) {
        SchemaBuilder rowSchema = SchemaBuilder.struct().name(table.id().table() + ".Value").optional();
        Map<Column, Schema> fields = new LinkedHashMap<>();
        for (Column column : table.columns()) {
            Schema schema = schema(column);
            if (schema != null) {
                rowSchema.field(column.name(), schema);
                fields.put(column, schema);
            }
        }
        Schema built = rowSchema.build();
        Struct row = new Struct(built);
        fields.forEach((column, schema) -> {
            Field field = built.field(column.name());
            ValueConverter converter = converters.converter(column, field);
            row.put(field, converter.convert(textValues.get(column.name())));
        });
        return row;
    }
}
