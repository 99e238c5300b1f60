package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractIntegerType;

/** Connect's {@code INT32}: Oracle {@code NUMBER(5..9)}, PostgreSQL {@code int4}. */
public final class ConnectInt32Type extends AbstractIntegerType {

    public static final ConnectInt32Type INSTANCE = new ConnectInt32Type();

    private ConnectInt32Type() {
        super(Schema.Type.INT32, Schema.Type.INT32.name());
    }
}
