package io.tidemark.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tidemark.testkit.ConnectTestCluster;

/** The consistency modes' lines of the benchmark: PARTIAL and FULL on the same workload, side by side. */
final class ConsistencyBench {

    private ConsistencyBench() {
    }

    /**
     * PARTIAL against FULL through Connect, side by side, on the mixed workload cut into iterations
     * by a marker every 50,000 changes: FULL's price is staging every change and applying each
     * iteration in one transaction, and its partitions' wait at each marker.
     */
    static List<String> run(ConnectTestCluster cluster, ConnectBench connect, int partitions, int n, int rounds,
                            int every) throws Exception {
        String topic = "ora.BENCH.MIXM";
        BenchTable table = new BenchTable(topic);
        Workload workload = Workload.mixedWithMarkers(n, partitions, every);
        Topics.produce(cluster, topic, table, workload, BenchConverter.JSON);
        Verifier verifier = new Verifier(table, workload);
        List<String> out = new ArrayList<>();
        for (int tasks : List.of(1)) {
            Map<String, List<Double>> rates = new HashMap<>();
            Map<String, List<Long>> latencies = new HashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (String mode : SinkBench.rotate(List.of("partial", "full"), round)) {
                    List<Long> applyMs = latencies.computeIfAbsent(mode, k -> new ArrayList<>());
                    // A short lifecycle poll: a task that waits at a marker looks for the applied iteration this often.
                    ConnectBench.Run run = connect.run(Contender.TIDEMARK, workload, verifier, topic, "mixm", tasks,
                            BenchConverter.JSON, Map.of("consistency.mode", mode, "lifecycle.poll.interval.ms", "200"),
                            applyMs);
                    SinkBench.report("connect consistency=" + mode, workload.name, tasks, run.contender(), run.seconds(),
                            run.records(), run.cpu(), run.verified());
                    rates.computeIfAbsent(mode, k -> new ArrayList<>()).add(run.rowsPerSecond());
                }
            }
            double partial = SinkBench.median(rates.get("partial"));
            for (String mode : List.of("partial", "full")) {
                double rate = SinkBench.median(rates.get(mode));
                List<Long> ms = new ArrayList<>(latencies.get(mode));
                ms.sort(Comparator.naturalOrder());
                out.add(String.format(Locale.ROOT, "workload=mixed mode=connect consistency=%s tasks=%d n=%d "
                        + "marker_every=%d iterations=%d rows_per_s=%.0f ratio_vs_partial=%.2f apply_p50_ms=%d "
                        + "apply_p95_ms=%d", mode, tasks, workload.records(), every, workload.markers() - 1, rate,
                        rate / partial, LagProbe.percentile(ms, 0.50), LagProbe.percentile(ms, 0.95)));
                System.out.println(out.get(out.size() - 1));
            }
        }
        cluster.connect().kafka().deleteTopic(topic);
        return out;
    }
}
