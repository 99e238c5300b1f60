package io.tidemark.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The ceiling (d): the same rows, from the same converted records in memory, with one
 * {@code COPY ... FROM STDIN} of the PostgreSQL JDBC driver into an unlogged table with the
 * target's column types and no key (the mixed workload repeats keys): no staging, no merge, no
 * WAL, no index. Encoding is included and kept simple and direct.
 */
final class RawCopy {

    static final String DDL = "CREATE UNLOGGED TABLE raw_copy (id bigint, n_small smallint, n_int integer, n_big bigint,"
            + " n_dec numeric(12,2), n_dec4 numeric(20,4), n_var numeric, n_var2 numeric, code varchar(10),"
            + " name varchar(100), descr varchar(400), city varchar(50), status varchar(1), created timestamp(0),"
            + " updated timestamp(0), ts3 timestamp(3), ts6 timestamp(6), tstz timestamptz(6), note text, rw bytea)";

    /** The same columns in a logged table keyed as the sinks' targets are (machine limit, keyed line). */
    static final String KEYED_DDL = DDL.replace("CREATE UNLOGGED TABLE", "CREATE TABLE")
            .replace("(id bigint,", "(id bigint PRIMARY KEY,");

    private static final int CHUNK = 1 << 20;

    /**
     * A timed copy.
     *
     * @param rows    rows copied (a tombstone has none)
     * @param seconds from the first row encoded to the COPY committed
     * @param cpu     where the machine's CPU went meanwhile ({@link MachineCpu})
     */
    record Result(long rows, double seconds, String cpu) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    static Result run(List<SinkRecord> records) throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create("bench_copy"); Connection c = db.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute(DDL);
            }
            c.setAutoCommit(false);
            SinkBench.settle();
            MachineCpu.Snapshot before = MachineCpu.now();
            long start = System.nanoTime();
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY raw_copy FROM STDIN (FORMAT text)");
            Out out = new Out();
            long rows = 0;
            for (SinkRecord r : records) {
                Struct envelope = (Struct) r.value();
                if (envelope == null) {
                    continue; // a tombstone carries no row
                }
                Struct row = envelope.getStruct("after");
                if (row == null) {
                    row = envelope.getStruct("before");
                }
                out.row(row);
                rows++;
                if (out.size() >= CHUNK) {
                    copy.writeToCopy(out.buf(), 0, out.size());
                    out.reset();
                }
            }
            copy.writeToCopy(out.buf(), 0, out.size());
            copy.endCopy();
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(rows, seconds, MachineCpu.between(before, MachineCpu.now()));
        }
    }

    /** Fills {@code tableName} (of {@link #DDL}'s columns) with rows 1..n of the table, version 1 (untimed). */
    static void fill(Connection c, String tableName, BenchTable table, int n) throws Exception {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + tableName + " FROM STDIN (FORMAT text)");
        Out out = new Out();
        for (long id = 1; id <= n; id++) {
            out.row(table.row(id, 1));
            if (out.size() >= CHUNK) {
                copy.writeToCopy(out.buf(), 0, out.size());
                out.reset();
            }
        }
        copy.writeToCopy(out.buf(), 0, out.size());
        copy.endCopy();
    }

    /** COPY text: tab-separated, {@code \N} for null, backslash escapes. */
    private static final class Out {
        private byte[] buf = new byte[CHUNK + (64 << 10)];
        private int count;

        byte[] buf() {
            return buf;
        }

        int size() {
            return count;
        }

        void reset() {
            count = 0;
        }

        /** Unsynchronised, unlike ByteArrayOutputStream: this is the ceiling, it should not pay for locks. */
        void write(int b) {
            if (count == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        void row(Struct row) {
            boolean first = true;
            for (Field f : row.schema().fields()) {
                if (!first) {
                    write('\t');
                }
                first = false;
                Object v = row.get(f);
                String logical = f.schema().name();
                if (v == null) {
                    write('\\');
                    write('N');
                } else if (v instanceof String s) {
                    text(s);
                } else if (v instanceof byte[] b) {
                    ascii("\\\\x");
                    for (byte x : b) {
                        write(Character.forDigit((x >> 4) & 0xF, 16));
                        write(Character.forDigit(x & 0xF, 16));
                    }
                } else if (v instanceof BigDecimal d) {
                    ascii(d.toPlainString());
                } else if (v instanceof Struct s) {
                    ascii(new BigDecimal(new BigInteger(s.getBytes("value")), s.getInt32("scale")).toPlainString());
                } else if ("io.debezium.time.Timestamp".equals(logical)) {
                    timestamp((Long) v * 1000);
                } else if ("io.debezium.time.MicroTimestamp".equals(logical)) {
                    timestamp((Long) v);
                } else {
                    ascii(v.toString());
                }
            }
            write('\n');
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
        }

        private void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            for (byte x : b) {
                switch (x) {
                    case '\\' -> { write('\\'); write('\\'); }
                    case '\t' -> { write('\\'); write('t'); }
                    case '\n' -> { write('\\'); write('n'); }
                    case '\r' -> { write('\\'); write('r'); }
                    default -> write(x);
                }
            }
        }

        /** yyyy-mm-dd hh:mm:ss.ffffff from epoch microseconds (UTC, years 1..9999). */
        private void timestamp(long micros) {
            long secs = Math.floorDiv(micros, 1_000_000);
            long frac = Math.floorMod(micros, 1_000_000);
            long days = Math.floorDiv(secs, 86_400);
            long sod = Math.floorMod(secs, 86_400);
            // civil_from_days (H. Hinnant)
            long z = days + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long doe = z - era * 146_097;
            long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            long y = yoe + era * 400;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            long d = doy - (153 * mp + 2) / 5 + 1;
            long m = mp < 10 ? mp + 3 : mp - 9;
            if (m <= 2) {
                y++;
            }
            pad(y, 4);
            write('-');
            pad(m, 2);
            write('-');
            pad(d, 2);
            write(' ');
            pad(sod / 3600, 2);
            write(':');
            pad(sod / 60 % 60, 2);
            write(':');
            pad(sod % 60, 2);
            write('.');
            pad(frac, 6);
        }

        private void pad(long v, int width) {
            for (int i = width - 1; i >= 0; i--) {
                long p = 1;
                for (int k = 0; k < i; k++) {
                    p *= 10;
                }
                write((int) ('0' + (v / p) % 10));
            }
        }
    }
}
