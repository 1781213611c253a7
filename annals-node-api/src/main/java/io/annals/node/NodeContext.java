package io.annals.node;

import io.annals.store.EventStore;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the node gives a {@link NodeModule}: one object, handed to
 * {@link NodeModule#install(NodeContext)}, with everything a module uses of the node.
 */
public interface NodeContext {

    /** The node's event store; the node opens and closes it, a module never closes it. */
    EventStore store();

    /** The node's metrics registry, scraped at {@code GET /metrics}; name meters {@code annals.<module>.*}. */
    MeterRegistry meterRegistry();

    /** JSON answers, with the node's mapper. */
    JsonResponses json();

    /**
     * Problem answers. A handler usually just throws {@link ApiProblem} (or lets a store exception
     * through) and the node answers it; this is for code that answers outside a handler's return.
     */
    ProblemResponses problems();

    /** Request bodies, read within the node's size bound ({@code --max-request-bytes}). */
    RequestBodies bodies();

    /** Registers the module's routes, each with the role it needs. Only during {@code install}. */
    Routes routes();

    /** This module's settings (keys {@code <module name>.*}). */
    Settings settings();

    /**
     * The node's folds of stream states, shared by every module: register a decider for the
     * category of streams it keeps, so that inspection (the dashboard's time travel) shows its states.
     */
    StreamStates streamStates();

    /**
     * The role the request's key grants: {@link Role#PUBLIC} without a valid key, {@link Role#ADMIN}
     * for every request when the node has no keys. For a route that adapts what it answers to its
     * caller (the dashboard asks which views it can offer); the node checks each route's own role
     * without it.
     */
    Role roleOf(Context request);

    /** Adds a part to {@code GET /health} under {@code name}; the node is up when every part is. */
    void healthCheck(String name, HealthCheck check);

    /**
     * Runs {@code hook} when the node starts, after every module is installed and before the node
     * takes requests; modules' hooks run in the order the modules are configured. A hook that
     * throws fails the start: the stop hooks of the modules started before run, the store closes.
     */
    void onStart(Hook hook);

    /**
     * Runs {@code hook} as soon as the node begins to stop, while requests are still in flight:
     * the place to end long-lived answers (event streams) so that stopping need not wait for them.
     */
    void onStopping(Hook hook);

    /**
     * Runs {@code hook} when the node stops, after the last request has finished and before the
     * store closes; modules' hooks run in the reverse of their start order. A hook that throws is
     * logged, and the others still run.
     */
    void onStop(Hook hook);

    /** Work at a point of the node's life. */
    @FunctionalInterface
    interface Hook {
        void run() throws Exception;
    }
}
