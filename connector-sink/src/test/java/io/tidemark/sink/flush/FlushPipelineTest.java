package io.tidemark.sink.flush;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.batch.PendingBatch;

/** The applier thread, without a database: names, bounds, interrupts. */
class FlushPipelineTest {

    private final FlushPipeline pipeline = new FlushPipeline("tidemark-apply-orders-sink-3", 500);

    @AfterEach
    void shutdown() {
        pipeline.shutdown();
    }

    @Test
    void runsFlushesOnAThreadNamedAfterConnectorAndTask() {
        AtomicReference<String> thread = new AtomicReference<>();
        pipeline.submit(new PendingBatch(), () -> {
            thread.set(Thread.currentThread().getName());
            return new FlushOutcome();
        });
        FlushPipeline.Settled settled = pipeline.await(() -> { });
        assertThat(settled.failure()).isNull();
        assertThat(thread.get()).isEqualTo("tidemark-apply-orders-sink-3");
        assertThat(pipeline.busy()).isFalse();
    }

    @Test
    void aFlushThatOutlastsItsBoundIsAbortedAndReportedAsFailed() {
        CountDownLatch aborted = new CountDownLatch(1);
        pipeline.submit(new PendingBatch(), () -> {
            aborted.await(); // a statement stuck on a connection until it is aborted
            throw new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006");
        });
        long start = System.nanoTime();
        FlushPipeline.Settled settled = pipeline.await(aborted::countDown);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(450L, 5_000L);
        assertThat(settled.failure()).isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void anInterruptedWaitAbortsTheFlushAndKeepsTheInterrupt() throws Exception {
        CountDownLatch aborted = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pipeline.submit(new PendingBatch(), () -> {
            started.countDown();
            aborted.await();
            throw new java.sql.SQLException("connection aborted", "08006");
        });
        started.await(5, TimeUnit.SECONDS);
        AtomicReference<FlushPipeline.Settled> result = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            result.set(pipeline.await(aborted::countDown));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();
        Thread.sleep(100);
        waiter.interrupt();
        waiter.join(5_000);
        assertThat(result.get().failure()).hasMessageContaining("connection aborted");
        assertThat(stillInterrupted.get()).isTrue();
    }
}
