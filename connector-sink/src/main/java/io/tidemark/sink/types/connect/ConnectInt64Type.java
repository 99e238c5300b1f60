package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractIntegerType;

/** Connect's {@code INT64}: Oracle {@code NUMBER(10..18)}, PostgreSQL {@code int8}. */
public final class ConnectInt64Type extends AbstractIntegerType {

    public static final ConnectInt64Type INSTANCE = new ConnectInt64Type();

    private ConnectInt64Type() {
        super(Schema.Type.INT64, Schema.Type.INT64.name());
    }
}
