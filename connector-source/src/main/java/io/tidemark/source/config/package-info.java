/** The source's own configuration keys (iteration interval, marker table) and how they extend Debezium's. */
package io.tidemark.source.config;
