package io.tidemark.sink.types.debezium;

/** Debezium's {@code io.debezium.data.Enum}, one of the {@code allowed} values (PostgreSQL and MySQL enums): {@code text}. */
public final class EnumType extends AbstractEnumType {

    public static final EnumType INSTANCE = new EnumType();
    public static final String LOGICAL_NAME = "io.debezium.data.Enum";

    private EnumType() {
        super(LOGICAL_NAME, false);
    }
}
