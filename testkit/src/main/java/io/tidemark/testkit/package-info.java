/**
 * Test support shared by every module: a throwaway database in the local PostgreSQL per test
 * class, embedded Kafka Connect, Debezium-shaped change events, test license keys, a TCP proxy that
 * breaks connections on purpose, and restarting the local PostgreSQL.
 */
package io.tidemark.testkit;
