/**
 * {@code bin/tidemark quickstart}: the command line, the run's steps (PostgreSQL, the demo source,
 * the plugins, the broker, the worker, the shipped connector files through Connect's REST API),
 * and the progress lines until it stops. docs/quickstart.md.
 */
package io.tidemark.quickstart;
