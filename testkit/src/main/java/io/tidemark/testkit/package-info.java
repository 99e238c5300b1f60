/**
 * Test support shared by every module: a throwaway database in the local PostgreSQL per test
 * class, embedded Kafka Connect, Debezium-shaped change events, license keys of a test vendor the
 * sink trusts only where a test adds it in code or to a test plugin's jar
 * ({@link io.tidemark.testkit.TestLicenses}), a trigger log of the rows written into a target
 * ({@link io.tidemark.testkit.AppliedRowLog}), a TCP proxy that breaks connections on purpose, and
 * restarting the local PostgreSQL.
 */
package io.tidemark.testkit;
