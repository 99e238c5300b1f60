package io.tidemark.source;

import java.util.function.BooleanSupplier;

import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.service.spi.ServiceRegistry;
import io.debezium.snapshot.SnapshotterService;
import io.debezium.spi.snapshot.Snapshotter;

/**
 * Whether Debezium's task streams changes, which decides when marker rows may be written: only
 * once its streaming source runs, and never under a snapshot mode that does not stream
 * ({@code initial_only}), whose marker rows nobody would read.
 *
 * @param snapshotMode the name of Debezium's snapshotter, for messages
 * @param streams      whether the snapshotter streams after the snapshot at all
 * @param running      whether the streaming source runs now
 */
record DebeziumStreaming(String snapshotMode, boolean streams, BooleanSupplier running) {

    /**
     * @param services the service registry Debezium's task started with; its snapshotter is the one
     *                 that decides ({@code ChangeEventSourceCoordinator} asks it the same question)
     */
    static DebeziumStreaming of(ChangeEventSourceCoordinator<?, ?> coordinator, ServiceRegistry services) {
        SnapshotterService snapshotters = services == null ? null : services.tryGetService(SnapshotterService.class);
        Snapshotter snapshotter = snapshotters == null ? null : snapshotters.getSnapshotter();
        return new DebeziumStreaming(snapshotter == null ? "unknown" : snapshotter.name(),
                snapshotter == null || snapshotter.shouldStream(), () -> coordinator.getStreamingSource().isPresent());
    }
}
