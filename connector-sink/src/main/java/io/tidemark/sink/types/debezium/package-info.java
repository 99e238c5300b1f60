/** Column types for Debezium's semantic types (MicroTimestamp, ZonedTimestamp, VariableScaleDecimal, Bits, Json, ...). */
package io.tidemark.sink.types.debezium;
