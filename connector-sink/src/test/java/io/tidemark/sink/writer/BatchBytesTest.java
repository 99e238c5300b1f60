package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.config.ErrorPolicy;

/**
 * A batch is bounded by the bytes of its values as well as by its records, so that a run of huge
 * values cannot outgrow the COPY buffer (and fail the same batch again at every retry); a single
 * row larger than the bound goes to the table's error policy, naming the setting.
 */
class BatchBytesTest {

    private static final int MB = 1 << 20;

    @RegisterExtension
    static final SinkTestDatabase sink = new SinkTestDatabase("batch_bytes");

    private final TestTask.Log log = new TestTask.Log();
    private final TestTable emp = new TestTable("EMP", 0, new AtomicLong());
    private TestTask task;

    private void start(ErrorPolicy policy) {
        task = sink.track(new TestTask(log, TestWriters.against(sink.db()).connector("bytes-sink").batchSize(1000)
                .batchMaxBytes(MB).policy(policy)));
    }

    @Test
    void aBatchIsAppliedOnceItsValuesReachBatchMaxBytes() {
        start(ErrorPolicy.FAIL);
        for (int i = 1; i <= 10; i++) {
            log.append(emp.insert(emp.row(i, "n" + i, "x".repeat(300_000))));
        }
        task.pump(); // one put of 10 rows of 300 kB: more than 1 MB
        assertThat(sink.db().count("SELECT count(*) FROM hr.emp WHERE length(note) = 300000")).isEqualTo(10);
        assertThat(task.writer.stats().flushes()).as("flushes for 3 MB of values under a 1 MB bound")
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRowLargerThanBatchMaxBytesGoesToTheErrorPolicyNamingTheSetting() {
        start(ErrorPolicy.FLAG);
        log.append(emp.insert(emp.row(1, "small", "x")), emp.insert(emp.row(2, "huge", "y".repeat(2 * MB))),
                emp.insert(emp.row(3, "small too", "z")));
        task.pump();
        assertThat(sink.db().rowsAsText("SELECT id FROM hr.emp ORDER BY id")).containsExactly("1", "3");
        assertThat(sink.db().rowsAsText("SELECT reason FROM tidemark.error_rows")).singleElement().asString()
                .contains("batch.max.bytes").contains("1048576");
    }
}
