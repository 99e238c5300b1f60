package io.tidemark.control.project;

import java.time.Duration;
import java.util.Map;

import io.tidemark.sink.SinkPrecheck;

/**
 * A migration project: a source and a sink connector on a Connect cluster, the target database
 * whose control schema holds the project's state, and the source database whose request table
 * asks the source for markers.
 *
 * @param sink           the sink's connector file, as Connect is given it (references unresolved)
 * @param sinkPrecheck   the sink's view of its target tables, from its settings with the references
 *                       this host can resolve resolved (the quickstart's {@code connection.url} is
 *                       {@code ${env:...}}, which the sink's configuration does not take as it is)
 * @param controlProject the project's name in the control schema (the sink's {@code project.name})
 * @param kafka          admin client properties of the Kafka cluster, for the lag; null: no lag
 * @param strimzi        null unless the connectors are Strimzi {@code KafkaConnector} resources
 * @param defaultWait    how long an action waits for Connect and the sink by default
 */
public record Project(String name, ConnectSettings connect, ConnectorFile source, ConnectorFile sink,
                      SinkPrecheck sinkPrecheck, DatabaseSettings sourceDatabase, DatabaseSettings targetDatabase,
                      String controlSchema, String controlProject, RequestTable requestTable, Map<String, String> kafka,
                      StrimziSettings strimzi, Duration defaultWait) {

    /** The source's request table (docs/source.md) and the stream its rows name (the source's {@code topic.prefix}). */
    public record RequestTable(String schema, String table, String markerTable, String stream) {

        public String qualified() {
            return schema + "." + table;
        }

        public String qualifiedMarkerTable() {
            return schema + "." + markerTable;
        }
    }

    public ConnectorFile connector(String role) {
        return "source".equals(role) ? source : sink;
    }

    /**
     * The settings without a secret: the connector files' configs and the Kafka properties (a SASL
     * JAAS line holds a password) are named, not printed.
     */
    @Override
    public String toString() {
        return "Project[name=" + name + ", connect=" + connect + ", source=" + source.name() + ", sink=" + sink.name()
                + ", sourceDatabase=" + sourceDatabase + ", targetDatabase=" + targetDatabase + ", controlSchema="
                + controlSchema + ", kafka=" + (kafka == null ? null : kafka.keySet()) + ", strimzi=" + strimzi + "]";
    }
}
