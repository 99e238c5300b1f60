/**
 * Kafka offsets held in PostgreSQL and partition ownership: the offset store (saved in the flush's
 * transaction, under the epoch a task claimed) and each partition's position in the task
 * (owned or not, committed offset, rewinds still to hand to Connect).
 */
package io.tidemark.sink.offsets;
