package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractIntegerType;

/** Connect's {@code INT16}: Oracle {@code NUMBER(3..4)}, PostgreSQL {@code int2}. */
public final class ConnectInt16Type extends AbstractIntegerType {

    public static final ConnectInt16Type INSTANCE = new ConnectInt16Type();

    private ConnectInt16Type() {
        super(Schema.Type.INT16, Schema.Type.INT16.name());
    }
}
