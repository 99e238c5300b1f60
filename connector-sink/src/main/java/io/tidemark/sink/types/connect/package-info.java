/** Column types for Kafka Connect's own schema types and logical types (Decimal, Date, Time, Timestamp). */
package io.tidemark.sink.types.connect;
