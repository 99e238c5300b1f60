package io.tidemark.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The benchmark's Oracle table, 20 columns, as Debezium's Oracle connector describes it
 * ({@code decimal.handling.mode=precise}, {@code column.propagate.source.type=.*}): NUMBER with and
 * without precision, VARCHAR2, NVARCHAR2, DATE, TIMESTAMP(3|6), TIMESTAMP WITH TIME ZONE, CLOB, RAW.
 * Rows are a pure function of (id, version), so the expected target state can be recomputed.
 */
final class BenchTable {

    static final Schema VARIABLE_SCALE = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
            .version(1).optional().doc("Variable scaled decimal")
            .parameter("__debezium.source.column.type", "NUMBER")
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();

    private static SchemaBuilder src(SchemaBuilder b, String type, Integer length, Integer scale) {
        b.parameter("__debezium.source.column.type", type);
        if (length != null) {
            b.parameter("__debezium.source.column.length", length.toString());
        }
        if (scale != null) {
            b.parameter("__debezium.source.column.scale", scale.toString());
        }
        return b;
    }

    private static SchemaBuilder named(SchemaBuilder b, String name) {
        return b.name(name).version(1);
    }

    final Schema keySchema;
    final Schema rowSchema;
    /** The schema of a before/after image in the envelope (the row schema, optional). */
    final Schema imageSchema;

    BenchTable(String topic) {
        keySchema = SchemaBuilder.struct().name(topic + ".Key")
                .field("ID", src(SchemaBuilder.int64(), "NUMBER", 12, 0).build()).build();
        rowSchema = SchemaBuilder.struct().name(topic + ".Value")
                .field("ID", src(SchemaBuilder.int64(), "NUMBER", 12, 0).build())
                .field("N_SMALL", src(SchemaBuilder.int16(), "NUMBER", 4, 0).optional().build())
                .field("N_INT", src(SchemaBuilder.int32(), "NUMBER", 9, 0).optional().build())
                .field("N_BIG", src(SchemaBuilder.int64(), "NUMBER", 18, 0).optional().build())
                .field("N_DEC", src(Decimal.builder(2).parameter("connect.decimal.precision", "12"), "NUMBER", 12, 2)
                        .optional().build())
                .field("N_DEC4", src(Decimal.builder(4).parameter("connect.decimal.precision", "20"), "NUMBER", 20, 4)
                        .optional().build())
                .field("N_VAR", VARIABLE_SCALE)
                .field("N_VAR2", VARIABLE_SCALE)
                .field("CODE", src(SchemaBuilder.string(), "VARCHAR2", 10, null).optional().build())
                .field("NAME", src(SchemaBuilder.string(), "VARCHAR2", 100, null).optional().build())
                .field("DESCR", src(SchemaBuilder.string(), "VARCHAR2", 400, null).optional().build())
                .field("CITY", src(SchemaBuilder.string(), "NVARCHAR2", 50, null).optional().build())
                .field("STATUS", src(SchemaBuilder.string(), "VARCHAR2", 1, null).optional().build())
                .field("CREATED", src(named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"), "DATE", 7, null)
                        .optional().build())
                .field("UPDATED", src(named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"), "DATE", 7, null)
                        .optional().build())
                .field("TS3", src(named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"), "TIMESTAMP(3)", 3, null)
                        .optional().build())
                .field("TS6", src(named(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"), "TIMESTAMP(6)", 6,
                        null).optional().build())
                .field("TSTZ", src(named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"),
                        "TIMESTAMP(6) WITH TIME ZONE", 13, 6).optional().build())
                .field("NOTE", src(SchemaBuilder.string(), "CLOB", null, null).optional().build())
                .field("RW", src(SchemaBuilder.bytes(), "RAW", 16, null).optional().build())
                .build();
        SchemaBuilder image = SchemaBuilder.struct().name(rowSchema.name()).optional();
        rowSchema.fields().forEach(f -> image.field(f.name(), f.schema()));
        imageSchema = image.build();
    }

    private static final String[] CITIES = {"Zürich", "São Paulo", "Kraków", "Москва", "東京", "Oslo", "Lyon",
            "Malmö", "Reykjavík", "Ørsted"};
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
            "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra",
            "tango", "uniform", "victor", "whiskey", "x-ray", "yankee", "zulu"};
    private static final long BASE_MS = Instant.parse("2019-01-01T00:00:00Z").toEpochMilli();

    /** The row with this id as it is after {@code version} updates (0: as inserted). */
    Struct row(long id, int version) {
        SplittableRandom r = new SplittableRandom(id * 1_000_003L + version);
        Struct s = new Struct(imageSchema);
        s.put("ID", id);
        s.put("N_SMALL", (short) (r.nextInt(19_999) - 9_999));
        s.put("N_INT", r.nextInt(1_999_999_999) - 999_999_999);
        s.put("N_BIG", r.nextLong(-999_999_999_999_999_999L, 999_999_999_999_999_999L));
        s.put("N_DEC", BigDecimal.valueOf(r.nextLong(-99_999_999_999L, 99_999_999_999L), 2));
        s.put("N_DEC4", r.nextInt(10) == 0 ? null : BigDecimal.valueOf(r.nextLong(), 4));
        s.put("N_VAR", variable(BigDecimal.valueOf(r.nextLong(1, 1_000_000_000L), r.nextInt(0, 6))));
        s.put("N_VAR2", r.nextInt(10) == 0 ? null : variable(BigDecimal.valueOf(r.nextInt(100_000))));
        s.put("CODE", "C" + Long.toString(id * 7 + version, 36).toUpperCase());
        s.put("NAME", words(r, 2 + r.nextInt(4)));
        s.put("DESCR", r.nextInt(5) == 0 ? null : words(r, 5 + r.nextInt(15)));
        s.put("CITY", CITIES[r.nextInt(CITIES.length)]);
        s.put("STATUS", String.valueOf("NAPCX".charAt(r.nextInt(5))));
        long created = BASE_MS + r.nextLong(0, 5L * 365 * 86_400) * 1000;
        s.put("CREATED", created);
        s.put("UPDATED", version == 0 ? null : created + r.nextLong(0, 86_400L * 400) * 1000);
        s.put("TS3", BASE_MS + r.nextLong(0, 5L * 365 * 86_400_000));
        s.put("TS6", BASE_MS * 1000 + r.nextLong(0, 5L * 365 * 86_400_000_000L));
        s.put("TSTZ", zoned(BASE_MS * 1000 + r.nextLong(0, 5L * 365 * 86_400_000_000L), r.nextInt(-11, 13)));
        s.put("NOTE", r.nextInt(8) == 0 ? null : note(r));
        byte[] raw = new byte[16];
        r.nextBytes(raw);
        s.put("RW", raw);
        return s;
    }

    static Struct variable(BigDecimal d) {
        return new Struct(VARIABLE_SCALE).put("scale", d.scale()).put("value", d.unscaledValue().toByteArray());
    }

    private static String words(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    /** A CLOB of a few hundred characters, with the characters COPY has to escape now and then. */
    private static String note(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int lines = 2 + r.nextInt(8);
        for (int i = 0; i < lines; i++) {
            sb.append(words(r, 5 + r.nextInt(10)));
            sb.append(r.nextInt(4) == 0 ? "\t\\ end" : "").append('\n');
        }
        return sb.toString();
    }

    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    /** As Debezium's ZonedTimestamp spells a TIMESTAMP WITH TIME ZONE value. */
    private static String zoned(long epochMicros, int offsetHours) {
        Instant i = Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000), Math.floorMod(epochMicros, 1_000_000) * 1000);
        return OffsetDateTime.ofInstant(i, ZoneOffset.ofHours(offsetHours)).format(ISO_MICROS);
    }

    // ---- canonical text: the same for every target, computed in SQL and here -------------------

    /** Column names in the target (both sinks lower-case unquoted Oracle names). */
    List<String> columns() {
        List<String> names = new ArrayList<>();
        rowSchema.fields().forEach(f -> names.add(f.name().toLowerCase()));
        return names;
    }

    /** One SQL expression giving a row's canonical text: types compared by value, not by spelling. */
    String canonicalSql() {
        StringBuilder sb = new StringBuilder("concat_ws('|'");
        for (Field f : rowSchema.fields()) {
            String c = "\"" + f.name().toLowerCase() + "\"";
            String e;
            String logical = f.schema().name();
            if (Decimal.LOGICAL_NAME.equals(logical) || VARIABLE_SCALE.name().equals(logical)) {
                e = "trim_scale(" + c + "::numeric)::text";
            } else if (f.schema().type() == Schema.Type.BYTES) {
                e = "encode(" + c + ", 'hex')";
            } else if ("io.debezium.time.ZonedTimestamp".equals(logical)) {
                e = "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
            } else if (logical != null && logical.startsWith("io.debezium.time.")) {
                e = "to_char(" + c + "::timestamp, 'YYYY-MM-DD HH24:MI:SS.US')";
            } else {
                e = c + "::text";
            }
            sb.append(", coalesce(").append(e).append(", '~')");
        }
        return sb.append(")").toString();
    }

    private static final DateTimeFormatter CANON_TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    /** The canonical text of an expected row, as {@link #canonicalSql()} computes it in PostgreSQL. */
    String canonical(Struct row) {
        StringBuilder sb = new StringBuilder();
        for (Field f : rowSchema.fields()) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            Object v = row.get(f);
            String logical = f.schema().name();
            if (v == null) {
                sb.append('~');
            } else if (v instanceof byte[] b) {
                sb.append(HexFormat.of().formatHex(b));
            } else if (v instanceof BigDecimal d) {
                sb.append(plain(d));
            } else if (v instanceof Struct vs) {
                sb.append(plain(new BigDecimal(new BigInteger(vs.getBytes("value")), vs.getInt32("scale"))));
            } else if ("io.debezium.time.ZonedTimestamp".equals(logical)) {
                sb.append(OffsetDateTime.parse((String) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                        .format(CANON_TS));
            } else if ("io.debezium.time.MicroTimestamp".equals(logical)) {
                long us = (Long) v;
                sb.append(LocalDateTime.ofEpochSecond(Math.floorDiv(us, 1_000_000),
                        (int) Math.floorMod(us, 1_000_000) * 1000, ZoneOffset.UTC).format(CANON_TS));
            } else if ("io.debezium.time.Timestamp".equals(logical)) {
                long ms = (Long) v;
                sb.append(LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000,
                        ZoneOffset.UTC).format(CANON_TS));
            } else {
                sb.append(v);
            }
        }
        return sb.toString();
    }

    private static String plain(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
