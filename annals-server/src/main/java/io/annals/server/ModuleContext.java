package io.annals.server;

import io.annals.node.HealthCheck;
import io.annals.node.JsonResponses;
import io.annals.node.NodeContext;
import io.annals.node.ProblemResponses;
import io.annals.node.RequestBodies;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.node.Settings;
import io.annals.node.StreamStates;
import io.annals.server.http.AccessControl;
import io.annals.store.EventStore;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/** What one module is given while it is installed; hooks and health checks are refused after. */
final class ModuleContext implements NodeContext {

    private final String module;
    private final EventStore store;
    private final MeterRegistry registry;
    private final JsonResponses json;
    private final ProblemResponses problems;
    private final RequestBodies bodies;
    private final Routes routes;
    private final Settings settings;
    private final StreamStates streamStates;
    private final AccessControl access;
    private final Map<String, HealthCheck> checks;
    private final ModuleHooks hooks;
    private volatile boolean closed;

    ModuleContext(String module, EventStore store, MeterRegistry registry, JsonResponses json, ProblemResponses problems,
                  RequestBodies bodies, Routes routes, Settings settings, StreamStates streamStates, AccessControl access,
                  Map<String, HealthCheck> checks, ModuleHooks hooks) {
        this.module = module;
        this.store = store;
        this.registry = registry;
        this.json = json;
        this.problems = problems;
        this.bodies = bodies;
        this.routes = routes;
        this.settings = settings;
        this.streamStates = streamStates;
        this.access = access;
        this.checks = checks;
        this.hooks = hooks;
    }

    @Override
    public EventStore store() {
        return store;
    }

    @Override
    public MeterRegistry meterRegistry() {
        return registry;
    }

    @Override
    public JsonResponses json() {
        return json;
    }

    @Override
    public ProblemResponses problems() {
        return problems;
    }

    @Override
    public RequestBodies bodies() {
        return bodies;
    }

    @Override
    public Routes routes() {
        return routes;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public StreamStates streamStates() {
        return streamStates;
    }

    @Override
    public Role roleOf(Context request) {
        return access.roleOf(request.header("Authorization"));
    }

    @Override
    public void healthCheck(String name, HealthCheck check) {
        requireInstalling("a health check");
        if (name.equals("status") || checks.putIfAbsent(name, check) != null) {
            throw new IllegalStateException("module " + module + ": the health check " + name + " is already registered");
        }
    }

    @Override
    public void onStart(Hook hook) {
        requireInstalling("a start hook");
        hooks.onStart(module, hook);
    }

    @Override
    public void onStopping(Hook hook) {
        requireInstalling("a stopping hook");
        hooks.onStopping(module, hook);
    }

    @Override
    public void onStop(Hook hook) {
        requireInstalling("a stop hook");
        hooks.onStop(module, hook);
    }

    void close() {
        closed = true;
    }

    private void requireInstalling(String what) {
        if (closed) {
            throw new IllegalStateException("module " + module + " can add " + what + " only while it is installed");
        }
    }
}
