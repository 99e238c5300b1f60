package io.tidemark.sink.types.debezium;

/** Debezium's {@code io.debezium.data.EnumSet}, a comma-separated subset of {@code allowed} (MySQL {@code SET}): {@code text}. */
public final class EnumSetType extends AbstractEnumType {

    public static final EnumSetType INSTANCE = new EnumSetType();
    public static final String LOGICAL_NAME = "io.debezium.data.EnumSet";

    private EnumSetType() {
        super(LOGICAL_NAME, true);
    }
}
