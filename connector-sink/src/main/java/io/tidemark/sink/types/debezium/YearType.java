package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractIntegerType;

/**
 * Debezium's {@code io.debezium.time.Year}, an int32 year (MySQL {@code YEAR}): {@code integer}, as
 * any int32. PostgreSQL has no year type and a year is a number, not a date.
 */
public final class YearType extends AbstractIntegerType {

    public static final YearType INSTANCE = new YearType();
    public static final String LOGICAL_NAME = "io.debezium.time.Year";

    private YearType() {
        super(Schema.Type.INT32, LOGICAL_NAME);
    }
}
