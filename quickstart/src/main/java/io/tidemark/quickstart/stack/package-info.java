/**
 * The Kafka side of the quickstart, as real processes: the KRaft broker and the distributed Connect
 * worker in JVMs of their own, run from Kafka's own main classes, with the plugin ZIPs unzipped onto
 * plugin.path; the child processes' watch on the quickstart, pid files, ports, logs and work directory.
 */
package io.tidemark.quickstart.stack;
