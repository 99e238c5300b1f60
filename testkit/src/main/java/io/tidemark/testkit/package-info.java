/**
 * Test support for every module: a throwaway PostgreSQL database per test class, an embedded Kafka
 * Connect cluster, Debezium-shaped events, and license keys of a test vendor the sink trusts only
 * where testkit is on the class path ({@link io.tidemark.testkit.TestLicenses}).
 */
package io.tidemark.testkit;
