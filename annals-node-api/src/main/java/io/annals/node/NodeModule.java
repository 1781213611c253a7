package io.annals.node;

/**
 * A feature of an Annals node: the store's HTTP API, and later projections, CEP, sagas, the
 * Kafka relay, the user service. A module gets everything it uses from the node through one
 * {@link NodeContext} in {@link #install(NodeContext)}: the store, metrics, JSON and problem
 * answers, route registration with roles, its configuration, and start and stop hooks.
 * <p>
 * {@code annals serve} composes the modules named by {@code --modules}, found through
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.annals.node.NodeModule}; it needs a public constructor without
 * arguments). An embedding application passes module instances to the node directly.
 */
public interface NodeModule {

    /**
     * How configuration names the module: lower-case words joined by hyphens
     * ({@code store-api}). Its settings are the keys that start with this name and a dot.
     */
    String name();

    /**
     * Registers the module's routes, meters, health checks and hooks. Called once, before the
     * node takes requests; the module must not start work here (use
     * {@link NodeContext#onStart(NodeContext.Hook)}). Throwing fails the node's start.
     */
    void install(NodeContext node);
}
