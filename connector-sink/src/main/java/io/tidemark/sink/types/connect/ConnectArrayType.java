package io.tidemark.sink.types.connect;

import java.util.List;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.ColumnType;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Connect's {@code ARRAY} of integers, floats, booleans or strings (PostgreSQL's {@code int4[]},
 * {@code text[]} and the like, as Debezium's PostgreSQL connector sends them): a one-dimensional
 * PostgreSQL array of the element's type, written as an array literal ({@code {1,NULL,3}},
 * {@code {"a \"b\"",NULL}}). Arrays of anything else are not supported.
 */
public final class ConnectArrayType extends AbstractColumnType {

    public static final ConnectArrayType INSTANCE = new ConnectArrayType();

    private ConnectArrayType() {
        super(Schema.Type.ARRAY.name());
    }

    /** The type of a supported element schema, or null. */
    private static ColumnType element(Schema schema) {
        Schema element = schema.valueSchema();
        if (element == null || element.name() != null) {
            return null;
        }
        return switch (element.type()) {
            case INT8 -> ConnectInt8Type.INSTANCE;
            case INT16 -> ConnectInt16Type.INSTANCE;
            case INT32 -> ConnectInt32Type.INSTANCE;
            case INT64 -> ConnectInt64Type.INSTANCE;
            case FLOAT32 -> ConnectFloat32Type.INSTANCE;
            case FLOAT64 -> ConnectFloat64Type.INSTANCE;
            case BOOLEAN -> ConnectBooleanType.INSTANCE;
            case STRING -> ConnectStringType.INSTANCE;
            default -> null;
        };
    }

    private static String describe(Schema schema) {
        Schema element = schema.valueSchema();
        return "ARRAY<" + (element == null ? "?" : element.name() != null ? element.name() : element.type().name()) + ">";
    }

    @Override
    public String unsupported(Schema schema) {
        return element(schema) != null ? null : "no PostgreSQL mapping for a field of Connect type " + describe(schema)
                + ": only arrays of integers, floats, booleans and strings are supported";
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return requireElement(schema).sqlType(schema.valueSchema(), SourceColumn.UNKNOWN) + "[]";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (!target.array()) {
            return Compatibility.cannotHold(target, describe(schema), "not an array column");
        }
        String formatted = target.formatted().trim();
        PgColumnType elementTarget = new PgColumnType(formatted.substring(0, formatted.length() - 2).trim(),
                target.base(), target.modifiers(), false);
        String why = requireElement(schema).incompatibility(elementTarget, schema.valueSchema(), SourceColumn.UNKNOWN);
        return why == null ? null : Compatibility.cannotHold(target, describe(schema), "its elements: " + why);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        if (!(value instanceof List<?> list)) {
            throw new BadValueException("expected a list but got " + value.getClass().getName());
        }
        ColumnType element = requireElement(schema);
        Schema elementSchema = schema.valueSchema();
        out.appendByte('{');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.appendByte(',');
            }
            Object e = list.get(i);
            if (e == null) {
                out.appendAscii("NULL");
            } else if (element == ConnectStringType.INSTANCE) {
                if (!(e instanceof String s)) {
                    throw new BadValueException("expected a string element but got " + e.getClass().getName());
                }
                out.appendArrayElementText(s);
            } else {
                element.writeCopyText(e, elementSchema, out); // digits, signs, NaN, Infinity, t/f: nothing to quote
            }
        }
        out.appendByte('}');
    }

    private static ColumnType requireElement(Schema schema) {
        ColumnType element = element(schema);
        if (element == null) {
            throw new IllegalArgumentException(describe(schema) + " is not supported");
        }
        return element;
    }
}
