/** The source connectors: thin subclasses of Debezium's Oracle and PostgreSQL connectors that add iteration markers. */
package io.tidemark.source;
