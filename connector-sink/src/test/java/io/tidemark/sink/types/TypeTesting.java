package io.tidemark.sink.types;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/** Small helpers for the type tests: COPY text of one value, schemas with Debezium's source parameters. */
public final class TypeTesting {

    /** A session's output styles fixed, so that the values read back as text compare exactly. */
    public static final String FIXED_OUTPUT_STYLES = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD';"
            + " SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET xmloption = content";

    private TypeTesting() {
    }

    /** The COPY text {@code type} writes for {@code value}. */
    public static String copyText(ColumnType type, Schema schema, Object value) {
        CopyTextWriter out = new CopyTextWriter(64);
        type.writeCopyText(value, schema, out);
        return out.toString();
    }

    /** The COPY text of {@code value} through the standard registry. */
    public static String copyText(Schema schema, Object value) {
        return copyText(ColumnTypes.standard().resolve(schema), schema, value);
    }

    /** The column type the standard registry creates for {@code schema}, source parameters included. */
    public static String sqlType(Schema schema) {
        return ColumnTypes.standard().resolve(schema).sqlType(schema, SourceColumn.of(schema));
    }

    /** Why an existing column of type {@code formatted} (as {@code format_type} prints it) cannot hold the field, or null. */
    public static String incompatibility(String formatted, Schema schema) {
        return ColumnTypes.standard().resolve(schema)
                .incompatibility(PgColumnType.parse(formatted), schema, SourceColumn.of(schema));
    }

    /** Adds Debezium's {@code column.propagate.source.type} parameters. */
    public static SchemaBuilder source(SchemaBuilder builder, String type, Integer length, Integer scale) {
        builder.parameter(SourceColumn.TYPE_PARAM, type);
        if (length != null) {
            builder.parameter(SourceColumn.LENGTH_PARAM, length.toString());
        }
        if (scale != null) {
            builder.parameter(SourceColumn.SCALE_PARAM, scale.toString());
        }
        return builder;
    }

    /** A schema of a Debezium semantic type over a primitive. */
    public static SchemaBuilder named(SchemaBuilder primitive, String logicalName) {
        return primitive.name(logicalName).version(1);
    }
}
