package io.tidemark.sink.types;

import java.util.List;

import io.tidemark.sink.types.connect.ConnectArrayType;
import io.tidemark.sink.types.connect.ConnectBooleanType;
import io.tidemark.sink.types.connect.ConnectBytesType;
import io.tidemark.sink.types.connect.ConnectDateType;
import io.tidemark.sink.types.connect.ConnectDecimalType;
import io.tidemark.sink.types.connect.ConnectFloat32Type;
import io.tidemark.sink.types.connect.ConnectFloat64Type;
import io.tidemark.sink.types.connect.ConnectInt16Type;
import io.tidemark.sink.types.connect.ConnectInt32Type;
import io.tidemark.sink.types.connect.ConnectInt64Type;
import io.tidemark.sink.types.connect.ConnectInt8Type;
import io.tidemark.sink.types.connect.ConnectStringType;
import io.tidemark.sink.types.connect.ConnectTimeType;
import io.tidemark.sink.types.connect.ConnectTimestampType;
import io.tidemark.sink.types.debezium.BitsType;
import io.tidemark.sink.types.debezium.DateType;
import io.tidemark.sink.types.debezium.EnumSetType;
import io.tidemark.sink.types.debezium.EnumType;
import io.tidemark.sink.types.debezium.IntervalType;
import io.tidemark.sink.types.debezium.JsonType;
import io.tidemark.sink.types.debezium.MicroDurationType;
import io.tidemark.sink.types.debezium.MicroTimeType;
import io.tidemark.sink.types.debezium.MicroTimestampType;
import io.tidemark.sink.types.debezium.NanoTimeType;
import io.tidemark.sink.types.debezium.NanoTimestampType;
import io.tidemark.sink.types.debezium.TimeType;
import io.tidemark.sink.types.debezium.TimestampType;
import io.tidemark.sink.types.debezium.UuidType;
import io.tidemark.sink.types.debezium.VariableScaleDecimalType;
import io.tidemark.sink.types.debezium.XmlType;
import io.tidemark.sink.types.debezium.YearType;
import io.tidemark.sink.types.debezium.ZonedTimeType;
import io.tidemark.sink.types.debezium.ZonedTimestampType;

/** Every {@link ColumnType} Tidemark registers: Kafka Connect's types, then Debezium's semantic types. */
public final class StandardTypes {

    /** Connect primitives and Connect logical types. */
    public static final List<ColumnType> CONNECT = List.of(
            ConnectInt8Type.INSTANCE, ConnectInt16Type.INSTANCE, ConnectInt32Type.INSTANCE, ConnectInt64Type.INSTANCE,
            ConnectFloat32Type.INSTANCE, ConnectFloat64Type.INSTANCE, ConnectBooleanType.INSTANCE,
            ConnectStringType.INSTANCE, ConnectBytesType.INSTANCE, ConnectArrayType.INSTANCE,
            ConnectDecimalType.INSTANCE, ConnectDateType.INSTANCE, ConnectTimeType.INSTANCE,
            ConnectTimestampType.INSTANCE);

    /** Debezium's semantic types ({@code io.debezium.time.*}, {@code io.debezium.data.*}). */
    public static final List<ColumnType> DEBEZIUM = List.of(
            VariableScaleDecimalType.INSTANCE,
            DateType.INSTANCE, TimeType.INSTANCE, MicroTimeType.INSTANCE, NanoTimeType.INSTANCE, ZonedTimeType.INSTANCE,
            TimestampType.INSTANCE, MicroTimestampType.INSTANCE, NanoTimestampType.INSTANCE,
            ZonedTimestampType.INSTANCE, MicroDurationType.INSTANCE, IntervalType.INSTANCE, YearType.INSTANCE,
            XmlType.INSTANCE, JsonType.INSTANCE, UuidType.INSTANCE, BitsType.INSTANCE, EnumType.INSTANCE,
            EnumSetType.INSTANCE);

    static final ColumnTypes INSTANCE = new ColumnTypes(all());

    private StandardTypes() {
    }

    public static List<ColumnType> all() {
        return java.util.stream.Stream.concat(CONNECT.stream(), DEBEZIUM.stream()).toList();
    }
}
