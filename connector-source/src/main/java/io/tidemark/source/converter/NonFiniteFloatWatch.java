package io.tidemark.source.converter;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.metrics.TaskPluginMetrics;

/**
 * Says so when the task emits a float or double NaN, +Infinity or -Infinity while its values go
 * through Kafka's {@code JsonConverter}, which writes them as the strings "NaN" and "Infinity" and
 * reads them back as 0.0: a sink would store 0 and nobody would know. Warns once per column, naming
 * Avro as the converter that carries them, and counts every such value in the task's plugin metric
 * {@value #METRIC} (group {@code plugins}, tags {@code connector} and {@code task}).
 *
 * <p>With any other converter named in the connector configuration it does nothing; without one the
 * worker's default applies, which the task cannot see, so it watches as if it were JSON.
 */
public final class NonFiniteFloatWatch {

    public static final String METRIC = "json-non-finite-floats-total";
    static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
    private static final String VALUE_CONVERTER = "value.converter";
    private static final Logger LOG = LoggerFactory.getLogger(NonFiniteFloatWatch.class);
    private static final int[] NO_FIELDS = {};

    private final String converter;
    private final AtomicLong count = new AtomicLong();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** Float fields by schema: Debezium reuses one schema object per table version. */
    private final Map<Schema, int[]> floatFields = new IdentityHashMap<>();

    private NonFiniteFloatWatch(String converter) {
        this.converter = converter;
    }

    /**
     * The watch for a task with this configuration, or null when its value converter keeps
     * non-finite floats. Registers the metric through {@code metrics} (null: none): once per task.
     */
    public static NonFiniteFloatWatch start(Map<String, String> taskConfig, PluginMetrics metrics) {
        String converter = taskConfig.get(VALUE_CONVERTER);
        if (converter != null && !JSON_CONVERTER.equals(converter.trim())) {
            return null;
        }
        NonFiniteFloatWatch watch = new NonFiniteFloatWatch(converter == null ? null : converter.trim());
        if (metrics != null) {
            TaskPluginMetrics.add(metrics, METRIC, "Float and double NaN or +/-Infinity values this task "
                    + "emitted while its value converter is JsonConverter, which turns them into 0.0; use an Avro "
                    + "converter", (Measurable) (config, now) -> watch.count.get());
        }
        return watch;
    }

    /** How many non-finite values were emitted so far. */
    public long count() {
        return count.get();
    }

    /** The columns warned about, as topic and column. */
    Set<String> warnedColumns() {
        return Set.copyOf(warned);
    }

    /** Looks at the records' row images (a Debezium envelope's {@code before} and {@code after}, or a flat row). */
    public List<SourceRecord> inspect(List<SourceRecord> records) {
        if (records == null) {
            return null;
        }
        for (SourceRecord record : records) {
            if (record.value() instanceof Struct value) {
                Field before = value.schema().field("before");
                Field after = value.schema().field("after");
                if (before != null && after != null) {
                    inspectRow(record.topic(), before, value);
                    inspectRow(record.topic(), after, value);
                } else {
                    inspect(record.topic(), value);
                }
            }
        }
        return records;
    }

    private void inspectRow(String topic, Field image, Struct envelope) {
        if (image.schema().type() == Schema.Type.STRUCT && envelope.get(image) instanceof Struct row) {
            inspect(topic, row);
        }
    }

    private void inspect(String topic, Struct row) {
        List<Field> fields = row.schema().fields();
        for (int index : floatFields(row.schema())) {
            Object v = row.get(fields.get(index));
            boolean nonFinite = v instanceof Double d ? !Double.isFinite(d) : v instanceof Float f && !Float.isFinite(f);
            if (nonFinite) {
                count.incrementAndGet();
                String column = fields.get(index).name();
                if (warned.add(topic + " " + column)) {
                    LOG.warn("Column {} of topic {} holds {}, and {}: JsonConverter writes NaN and +/-Infinity as "
                            + "strings that read back as 0.0, so the sink will store 0 for them. To carry them, use an "
                            + "Avro converter (value.converter=io.apicurio.registry.utils.converter.AvroConverter with a "
                            + "schema registry; see docs/converters.md). Warned once per column; the task's metric {} "
                            + "counts every such value.", column, topic, v, converter == null
                            ? "value.converter is not set in the connector configuration, so the worker's default "
                            + "applies, which may be JsonConverter" : "value.converter is JsonConverter", METRIC);
                }
            }
        }
    }

    /** Called from the task's poll only (one thread): the cache needs no lock. */
    private int[] floatFields(Schema schema) {
        if (floatFields.size() > 10_000) {
            floatFields.clear(); // schemas come and go with table versions; the cache stays small
        }
        return floatFields.computeIfAbsent(schema, s -> {
            List<Field> fields = s.fields();
            int[] found = fields.stream().filter(f -> f.schema().type() == Schema.Type.FLOAT32
                    || f.schema().type() == Schema.Type.FLOAT64).mapToInt(Field::index).toArray();
            return found.length == 0 ? NO_FIELDS : found;
        });
    }
}
