/** How each Kafka Connect or Debezium type maps to a PostgreSQL column type and is written in COPY text form. */
package io.tidemark.sink.types;
