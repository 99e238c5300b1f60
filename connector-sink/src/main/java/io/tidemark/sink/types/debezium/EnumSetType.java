package io.tidemark.sink.types.debezium;

import java.util.List;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.ColumnType;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/** Debezium's {@code io.debezium.data.EnumSet}, a comma-separated subset of {@code allowed} (MySQL {@code SET}): {@code text}. */
public final class EnumSetType implements ColumnType {

    public static final EnumSetType INSTANCE = new EnumSetType();
    public static final String LOGICAL_NAME = "io.debezium.data.EnumSet";

    private EnumSetType() {
    }

    @Override
    public List<String> registrationKeys() {
        return List.of(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "text";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return Compatibility.holdsText(target, EnumType.longestAllowed(schema, true)) ? null
                : Compatibility.cannotHold(target, schema, source, target.isOneOf("varchar")
                        ? "the longest allowed set would not fit" : null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        out.appendText(Values.string(value, LOGICAL_NAME));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
