package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's {@code io.debezium.data.Xml} (Oracle {@code XMLTYPE}, PostgreSQL {@code xml}): {@code xml}.
 * PostgreSQL checks well-formedness itself when it reads the value; a text column holds it too.
 */
public final class XmlType extends AbstractColumnType {

    public static final XmlType INSTANCE = new XmlType();
    public static final String LOGICAL_NAME = "io.debezium.data.Xml";

    private XmlType() {
        super(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "xml";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return target.isOneOf("xml") || Compatibility.holdsText(target, null) ? null
                : Compatibility.cannotHold(target, schema, source, null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        out.appendText(Values.string(value, LOGICAL_NAME));
    }
}
