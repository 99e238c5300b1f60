package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractIntegerType;

/** Connect's {@code INT8}: Oracle {@code NUMBER(1..2)}, a smallint in PostgreSQL, which has no one-byte integer. */
public final class ConnectInt8Type extends AbstractIntegerType {

    public static final ConnectInt8Type INSTANCE = new ConnectInt8Type();

    private ConnectInt8Type() {
        super(Schema.Type.INT8, Schema.Type.INT8.name());
    }
}
