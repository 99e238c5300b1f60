package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Connect's {@code STRING}: {@code varchar(n)} for Oracle {@code VARCHAR2(n)}/{@code NVARCHAR2(n)}
 * (PostgreSQL counts characters, Oracle bytes or characters, so {@code n} is always wide enough),
 * {@code char(n)} for {@code CHAR(n)}/{@code NCHAR(n)}, {@code varchar(18)} for {@code ROWID}, and
 * {@code text} for {@code CLOB}, {@code NCLOB}, {@code LONG} and anything whose length is not known.
 */
public final class ConnectStringType extends AbstractColumnType {

    public static final ConnectStringType INSTANCE = new ConnectStringType();

    /** PostgreSQL's largest {@code varchar(n)} and {@code char(n)}. */
    static final int MAX_LENGTH = 10_485_760;

    private ConnectStringType() {
        super(Schema.Type.STRING.name());
    }

    private static boolean isVarying(SourceColumn source) {
        return source.is("VARCHAR2", "NVARCHAR2", "VARCHAR", "NVARCHAR", "CHARACTER VARYING", "CHAR VARYING",
                "NATIONAL CHARACTER VARYING", "NATIONAL CHAR VARYING", "NCHAR VARYING");
    }

    private static boolean isFixed(SourceColumn source) {
        return !isVarying(source) && source.is("CHAR", "NCHAR", "CHARACTER", "NATIONAL CHARACTER", "BPCHAR");
    }

    private static Integer declaredLength(SourceColumn source) {
        Integer n = source.length();
        return n != null && n >= 1 && n <= MAX_LENGTH ? n : null;
    }

    /** The longest value in characters, or null when unbounded or not known. */
    static Integer maxChars(SourceColumn source) {
        if (isVarying(source) || isFixed(source)) {
            return declaredLength(source);
        }
        return source.is("ROWID") ? 18 : null;
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        Integer n = declaredLength(source);
        if (n != null && isVarying(source)) {
            return "varchar(" + n + ")";
        }
        if (n != null && isFixed(source)) {
            return "char(" + n + ")";
        }
        return source.is("ROWID") ? "varchar(18)" : "text";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        Integer max = maxChars(source);
        if (Compatibility.holdsText(target, max)) {
            return null;
        }
        if (target.isOneOf("varchar")) {
            if (max == null) {
                // The source does not say how long its values are. PostgreSQL refuses a value too long
                // for varchar(n) (it never truncates on insert), and the row goes to the error policy:
                // nothing is lost silently, so a pre-created varchar(n) is accepted.
                return null;
            }
            return Compatibility.cannotHold(target, schema, source, "values up to " + max + " characters long would not fit");
        }
        if (target.isOneOf("char")) {
            if (isFixed(source) && max != null && (target.length() == null || max <= target.length())) {
                return null; // blank-padded into blank-padded: the same values
            }
            return Compatibility.cannotHold(target, schema, source, isFixed(source)
                    ? "values up to " + (max == null ? "an unknown number of" : max) + " characters long would not fit"
                    : "char(n) pads values with spaces and drops trailing ones");
        }
        if (target.isOneOf("xml", "json", "jsonb", "uuid")) {
            return Compatibility.cannotHold(target, schema, source,
                    "only fields Debezium marks as " + target.base() + " are known to be valid " + target.base());
        }
        return Compatibility.cannotHold(target, schema, source, null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        if (!(value instanceof String s)) {
            throw new BadValueException("expected a string but got " + value.getClass().getName());
        }
        out.appendText(s);
    }

    /** Text into text, varchar(n) or char(n): PostgreSQL checks the length and pads as it does for the text form. */
    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("text", "varchar", "char")) {
            return null;
        }
        return (v, out) -> {
            if (!(v instanceof String s)) {
                throw new BadValueException("expected a string but got " + v.getClass().getName());
            }
            return out.appendText(s);
        };
    }
}
