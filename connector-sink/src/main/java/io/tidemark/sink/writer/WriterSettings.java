package io.tidemark.sink.writer;

import java.util.List;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.PerTable;
import io.tidemark.sink.errors.RetryPolicy;

/**
 * Settings the {@link SinkWriter} needs, taken from the config by the task.
 *
 * @param task                  the task's number within its connector, for names and logs
 * @param resumeCheckIntervalMs how often a writer stopped by its flush guard asks whether it may resume
 * @param pollRecords           the consumer's max.poll.records: a poll with fewer, with the consumer's lag at 0,
 *                              means the task is caught up and applies at once ({@link FlushTiming}); 0 waits
 *                              for batch.max.wait.ms
 * @param flushMaxWaitMs        the longest wait for a flush before its connection is aborted
 * @param modes                 each table's configured consistency mode
 * @param lifecyclePollIntervalMs how often desired states and awaited iterations are read
 * @param iterationApplyTimeoutMs the statement timeout of a FULL iteration's apply (on its own thread)
 * @param topics                the connector's {@code topics} list (empty with {@code topics.regex}): their
 *                              tables are in the iterations from iteration 0, before any task holds them
 */
public record WriterSettings(String connector, String task, int batchSize, long batchMaxBytes, long batchMaxWaitMs,
                             int pollRecords,
                             RetryPolicy retry, String unavailablePlaceholder, boolean autoCreate, boolean autoEvolve,
                             long resumeCheckIntervalMs, long flushMaxWaitMs, PerTable<ConsistencyMode> modes,
                             long lifecyclePollIntervalMs, long iterationApplyTimeoutMs, List<String> topics) {
    public WriterSettings {
        topics = List.copyOf(topics);
    }
}
