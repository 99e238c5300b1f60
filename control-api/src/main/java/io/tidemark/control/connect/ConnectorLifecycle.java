package io.tidemark.control.connect;

/**
 * Who changes a connector's lifecycle state: Connect's REST API, or — where Strimzi owns the
 * connectors and would revert a REST call — the {@code KafkaConnector} resource's {@code spec.state}.
 */
public interface ConnectorLifecycle {

    /** A state Connect knows, and its name in Strimzi's {@code spec.state}. */
    enum Target {
        RUNNING("running"), PAUSED("paused"), STOPPED("stopped");

        public final String strimziState;

        Target(String strimziState) {
            this.strimziState = strimziState;
        }
    }

    /**
     * Asks for the state; Connect acts asynchronously, so the caller waits for it.
     *
     * @param current the connector's state now, which decides between resume and nothing
     */
    void request(String connector, String current, Target target);

    /** Whether missing connectors may be created from their files ({@code PUT …/config}). */
    boolean createsConnectors();

    /** How to create or delete the connectors where this lifecycle does not (the exact command). */
    String ownerAdvice(String verb, String connector);

    /** Gives back what it holds (a Kubernetes client); the REST lifecycle shares the project's Connect client. */
    default void close() {
    }

    /** Connect's REST API. */
    static ConnectorLifecycle rest(ConnectClient connect) {
        return new ConnectorLifecycle() {
            @Override
            public void request(String connector, String current, Target target) {
                switch (target) {
                    case RUNNING -> connect.resume(connector);
                    case PAUSED -> connect.pause(connector);
                    case STOPPED -> connect.stop(connector);
                }
            }

            @Override
            public boolean createsConnectors() {
                return true;
            }

            @Override
            public String ownerAdvice(String verb, String connector) {
                return null;
            }
        };
    }
}
