package io.tidemark.common.marker;

import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

/**
 * The iteration-boundary marker: the wire contract between Tidemark's source and its sink.
 *
 * <p>The source emits one marker record into every partition of every captured table topic when
 * it sees the change event of a row in its marker table. Marker {@code N} closes iteration
 * {@code N}: every change committed in the source before the marker row precedes the marker in
 * each partition, every change committed after it follows. Iteration 0 is the initial snapshot.
 *
 * <p>The facts travel twice: as the record value (a Struct named {@value #SCHEMA_NAME}, key null)
 * and as headers {@code tidemark.marker.*}, so that a consumer that sees only headers (a value
 * converter it cannot read, an SMT that dropped the value) can still tell a marker.
 *
 * @param iteration      the iteration this marker closes; ids only grow and survive restarts
 * @param sourcePosition where the marker row sits in the source's change stream (Oracle SCN,
 *                       PostgreSQL LSN), as text
 * @param createdTsMs    when the marker row was written, epoch milliseconds
 * @param isFinal        true for the last iteration of a soft stop
 * @param partitionCount how many partitions of this record's topic the marker was written into (the
 *                       topic's partition count when the source wrote it), so that a consumer knows
 *                       how many partitions to wait for; 0 when unknown (a version 1 marker)
 */
public record IterationMarker(long iteration, String sourcePosition, long createdTsMs, boolean isFinal,
                              int partitionCount) {

    public static final String SCHEMA_NAME = "io.tidemark.IterationMarker";
    /** Version 2 added {@code partition_count} (optional: version 1 markers read as 0). */
    public static final int SCHEMA_VERSION = 2;

    public static final String FIELD_ITERATION = "iteration";
    public static final String FIELD_SOURCE_POSITION = "source_position";
    public static final String FIELD_CREATED_TS_MS = "created_ts_ms";
    public static final String FIELD_FINAL = "final";
    public static final String FIELD_PARTITION_COUNT = "partition_count";

    public static final String HEADER_PREFIX = "tidemark.marker.";
    public static final String HEADER_ITERATION = HEADER_PREFIX + FIELD_ITERATION;
    public static final String HEADER_SOURCE_POSITION = HEADER_PREFIX + FIELD_SOURCE_POSITION;
    public static final String HEADER_CREATED_TS_MS = HEADER_PREFIX + FIELD_CREATED_TS_MS;
    public static final String HEADER_FINAL = HEADER_PREFIX + FIELD_FINAL;
    public static final String HEADER_PARTITION_COUNT = HEADER_PREFIX + FIELD_PARTITION_COUNT;

    public static final Schema VALUE_SCHEMA = SchemaBuilder.struct()
            .name(SCHEMA_NAME)
            .version(SCHEMA_VERSION)
            .doc("Tidemark iteration boundary: every change committed before it in the source precedes it")
            .field(FIELD_ITERATION, Schema.INT64_SCHEMA)
            .field(FIELD_SOURCE_POSITION, Schema.STRING_SCHEMA)
            .field(FIELD_CREATED_TS_MS, Schema.INT64_SCHEMA)
            .field(FIELD_FINAL, Schema.BOOLEAN_SCHEMA)
            .field(FIELD_PARTITION_COUNT, Schema.OPTIONAL_INT32_SCHEMA)
            .build();

    /** A marker whose partition count is not known (yet): the source sets it per topic when it fans out. */
    public IterationMarker(long iteration, String sourcePosition, long createdTsMs, boolean isFinal) {
        this(iteration, sourcePosition, createdTsMs, isFinal, 0);
    }

    public IterationMarker {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must not be negative: " + iteration);
        }
        Objects.requireNonNull(sourcePosition, "sourcePosition");
        if (partitionCount < 0) {
            throw new IllegalArgumentException("partitionCount must not be negative: " + partitionCount);
        }
    }

    /** The same marker as written into a topic of {@code count} partitions. */
    public IterationMarker withPartitionCount(int count) {
        return new IterationMarker(iteration, sourcePosition, createdTsMs, isFinal, count);
    }

    public Struct toStruct() {
        return new Struct(VALUE_SCHEMA)
                .put(FIELD_ITERATION, iteration)
                .put(FIELD_SOURCE_POSITION, sourcePosition)
                .put(FIELD_CREATED_TS_MS, createdTsMs)
                .put(FIELD_FINAL, isFinal)
                .put(FIELD_PARTITION_COUNT, partitionCount > 0 ? partitionCount : null);
    }

    /** Adds the {@code tidemark.marker.*} headers that repeat the value's facts. */
    public Headers addTo(Headers headers) {
        return headers.addLong(HEADER_ITERATION, iteration)
                .addString(HEADER_SOURCE_POSITION, sourcePosition)
                .addLong(HEADER_CREATED_TS_MS, createdTsMs)
                .addBoolean(HEADER_FINAL, isFinal)
                .addInt(HEADER_PARTITION_COUNT, partitionCount);
    }

    /** Reads a marker from its value Struct (schema {@value #SCHEMA_NAME}). */
    public static IterationMarker fromStruct(Struct value) {
        if (!isMarkerSchema(value.schema())) {
            throw new IllegalArgumentException("not an iteration marker: schema " + value.schema().name());
        }
        Boolean fin = value.getBoolean(FIELD_FINAL);
        Integer count = value.schema().field(FIELD_PARTITION_COUNT) == null ? null
                : value.getInt32(FIELD_PARTITION_COUNT);
        return new IterationMarker(value.getInt64(FIELD_ITERATION), value.getString(FIELD_SOURCE_POSITION),
                value.getInt64(FIELD_CREATED_TS_MS), fin != null && fin, count == null ? 0 : count);
    }

    /**
     * The marker a record carries, from its value when the value is a marker Struct, otherwise
     * from its headers; empty for an ordinary change event.
     */
    public static Optional<IterationMarker> from(ConnectRecord<?> record) {
        if (record.value() instanceof Struct struct && isMarkerSchema(struct.schema())) {
            return Optional.of(fromStruct(struct));
        }
        return fromHeaders(record.headers());
    }

    /** True when the schema is the marker value schema (matched by name, as converters keep it). */
    public static boolean isMarkerSchema(Schema schema) {
        return schema != null && SCHEMA_NAME.equals(schema.name());
    }

    /** Reads a marker from {@code tidemark.marker.*} headers; empty when the iteration header is absent. */
    public static Optional<IterationMarker> fromHeaders(Headers headers) {
        if (headers == null) {
            return Optional.empty();
        }
        Header iteration = headers.lastWithName(HEADER_ITERATION);
        if (iteration == null || iteration.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new IterationMarker(
                asLong(iteration, HEADER_ITERATION),
                String.valueOf(valueOrDefault(headers.lastWithName(HEADER_SOURCE_POSITION), "")),
                asLong(headers.lastWithName(HEADER_CREATED_TS_MS), HEADER_CREATED_TS_MS, 0L),
                asBoolean(headers.lastWithName(HEADER_FINAL)),
                (int) asLong(headers.lastWithName(HEADER_PARTITION_COUNT), HEADER_PARTITION_COUNT, 0L)));
    }

    private static Object valueOrDefault(Header header, Object fallback) {
        return header == null || header.value() == null ? fallback : header.value();
    }

    private static long asLong(Header header, String name) {
        return asLong(header, name, null);
    }

    // Header values arrive typed (Long) from the source, but as text or other numbers after a
    // round trip through a header converter that does not keep types.
    private static long asLong(Header header, String name, Long fallback) {
        Object value = header == null ? null : header.value();
        if (value == null) {
            if (fallback != null) {
                return fallback;
            }
            throw new IllegalArgumentException("marker header " + name + " is missing");
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("marker header " + name + " is not a number: " + value, e);
        }
    }

    private static boolean asBoolean(Header header) {
        Object value = header == null ? null : header.value();
        if (value instanceof Boolean b) {
            return b;
        }
        return value != null && Boolean.parseBoolean(value.toString().trim());
    }
}
