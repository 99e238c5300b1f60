package io.tidemark.source.converter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class NonFiniteFloatWatchTest {

    private static final Schema ROW = SchemaBuilder.struct().name("shop.public.m.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("f", Schema.OPTIONAL_FLOAT32_SCHEMA)
            .field("d", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();
    /** The before and after of a change event: Debezium gives both the one row schema. */
    private static final Schema VALUE = SchemaBuilder.struct().name("shop.public.m.Value").optional()
            .field("id", Schema.INT32_SCHEMA).field("f", Schema.OPTIONAL_FLOAT32_SCHEMA)
            .field("d", Schema.OPTIONAL_FLOAT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("shop.public.m.Envelope")
            .field("before", VALUE)
            .field("after", VALUE)
            .field("op", Schema.STRING_SCHEMA)
            .build();

    private static SourceRecord change(Float f, Double d) {
        Struct after = new Struct(ENVELOPE.field("after").schema()).put("id", 1).put("f", f).put("d", d);
        return new SourceRecord(Map.of(), Map.of(), "shop.public.m", ENVELOPE, new Struct(ENVELOPE).put("after", after).put("op", "c"));
    }

    @Test
    void countsEveryNonFiniteValueAndWarnsOncePerColumnUnderJson() {
        Metrics metrics = new Metrics();
        PluginMetricsImpl plugin = new PluginMetricsImpl(metrics, Map.of("connector", "src", "task", "0"));
        NonFiniteFloatWatch watch = NonFiniteFloatWatch.start(
                Map.of("value.converter", NonFiniteFloatWatch.JSON_CONVERTER), plugin);
        watch.inspect(List.of(change(Float.NaN, 1.0), change(1f, Double.POSITIVE_INFINITY),
                change(Float.NEGATIVE_INFINITY, Double.NaN), change(-0.0f, -0.0), change(null, null)));
        watch.inspect(List.of(new SourceRecord(Map.of(), Map.of(), "shop.public.flat", ROW,
                new Struct(ROW).put("id", 2).put("d", Double.NaN))));

        assertThat(watch.count()).isEqualTo(5);
        assertThat(watch.warnedColumns()).containsExactlyInAnyOrder("shop.public.m f", "shop.public.m d", "shop.public.flat d");
        KafkaMetric metric = metrics.metrics().get(metrics.metricName(NonFiniteFloatWatch.METRIC, "plugins", "",
                Map.of("connector", "src", "task", "0")));
        assertThat(metric.metricValue()).isEqualTo(5.0);
    }

    @Test
    void watchesWhenTheConverterIsTheWorkersDefaultAndNotWithAvro() {
        assertThat(NonFiniteFloatWatch.start(Map.of(), (org.apache.kafka.common.metrics.PluginMetrics) null)).isNotNull();
        assertThat(NonFiniteFloatWatch.start(Map.of("value.converter", "io.apicurio.registry.utils.converter.AvroConverter"),
                (org.apache.kafka.common.metrics.PluginMetrics) null)).isNull();
    }
}
