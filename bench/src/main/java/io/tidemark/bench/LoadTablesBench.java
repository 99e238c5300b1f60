package io.tidemark.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


/**
 * The bulk load of the same rows spread over 1, 300, 1,000 tables (a schema each), beside
 * {@code pg_dump | psql} of the same schema: what a table costs the load besides its rows (catalog
 * reads, the table's creation, its key, its record).
 */
final class LoadTablesBench {

    List<String> run(int rows, List<Integer> counts, int workers) throws Exception {
        List<String> lines = new ArrayList<>();
        double oneTable = Double.NaN;
        try (SourceServer source = SourceServer.start(Integer.parseInt(System.getProperty("bench.source.port", "5499")))) {
            for (int n : counts) {
                String schema = "t" + n;
                List<String> tables = create(source, schema, n, rows / n);
                int total = rows / n * n;
                double dump = LoadBench.pgDumpPsql(source, "-n " + schema, total);
                double bulk = LoadBench.bulk(source, tables, total, workers);
                if (n == 1) {
                    oneTable = bulk;
                }
                String line = String.format(Locale.ROOT, "mode=load path=bulk tables=%d rows=%d workers=%d "
                        + "tidemark_rows_s=%.0f pg_dump_psql_rows_s=%.0f ratio_vs_pg_dump=%.2f vs_one_table=%.2f", n,
                        total, workers, total / bulk, total / dump, dump / bulk, bulk / oneTable);
                System.out.println(line);
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<String> create(SourceServer source, String schema, int n, int perTable) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            for (int i = 0; i < n; i++) {
                String t = schema + ".big_" + i;
                LoadBench.createTable(st, t, perTable);
                tables.add(t);
            }
            st.execute("VACUUM ANALYZE");
        }
        return tables;
    }
}
