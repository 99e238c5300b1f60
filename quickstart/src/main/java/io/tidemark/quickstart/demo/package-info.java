/**
 * The demo's databases: the PostgreSQL server of the target (and of the source without Oracle), the
 * source's four tables in PostgreSQL's or Oracle's SQL, their seed and the live workload.
 */
package io.tidemark.quickstart.demo;
