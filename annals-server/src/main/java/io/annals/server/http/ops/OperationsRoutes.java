package io.annals.server.http.ops;

import io.annals.node.HealthCheck;
import io.annals.node.HealthCheck.Health;
import io.annals.node.JsonResponses;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.server.metrics.NodeMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own routes, whatever modules it serves, all public: {@code GET /health} (200 when
 * every health check is up, 503 otherwise), {@code GET /metrics} (Prometheus text) and
 * {@code GET /openapi.json} (the hand-written OpenAPI 3.1 description, less the operations of
 * modules the node does not serve: each module's operations carry {@code x-annals-module}).
 */
public final class OperationsRoutes {

    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";
    public static final String OPENAPI = "/openapi.json";
    public static final String OPENAPI_RESOURCE = "/io/annals/server/openapi.json";
    /** The extension naming the module that serves an operation; operations without it are the node's own. */
    public static final String MODULE = "x-annals-module";
    private static final Logger LOG = LoggerFactory.getLogger(OperationsRoutes.class);

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final NodeMetrics metrics;
    private final JsonResponses json;
    private final Map<String, HealthCheck> checks;
    private final byte[] openApi;

    /**
     * {@code checks} by name, in the order they appear; read on every health request.
     * {@code modules}: the names of the modules the node serves.
     */
    public OperationsRoutes(NodeMetrics metrics, JsonResponses json, Map<String, HealthCheck> checks, Collection<String> modules) {
        this.metrics = metrics;
        this.json = json;
        this.checks = checks;
        this.openApi = openApiFor(json.mapper(), modules);
    }

    public void register(Routes routes) {
        routes.get(HEALTH, Role.PUBLIC, this::health);
        routes.get(METRICS, Role.PUBLIC, ctx -> JsonResponses.sendBytes(ctx, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
        routes.get(OPENAPI, Role.PUBLIC, ctx -> json.sendBytes(ctx, 200, openApi));
    }

    private void health(Context ctx) {
        boolean up = true;
        var body = new LinkedHashMap<String, Object>();
        body.put("status", "UP");
        for (var check : checks.entrySet()) {
            Health health = run(check.getKey(), check.getValue());
            up &= health.up();
            var part = new LinkedHashMap<String, Object>();
            part.put("status", health.up() ? "UP" : "DOWN");
            health.details().forEach(part::putIfAbsent);
            body.put(check.getKey(), part);
        }
        body.put("status", up ? "UP" : "DOWN");
        json.send(ctx, up ? 200 : 503, body);
    }

    private static Health run(String name, HealthCheck check) {
        try {
            return check.check();
        } catch (RuntimeException e) {
            LOG.warn("health check {} failed: {}", name, e.toString());
            return Health.down(Map.of("error", "the check failed"));
        }
    }

    /** The description with only the operations of the node and of {@code modules}. */
    static byte[] openApiFor(ObjectMapper mapper, Collection<String> modules) {
        try {
            JsonNode document = mapper.readTree(loadOpenApi());
            var paths = (ObjectNode) document.get("paths");
            var emptied = new ArrayList<String>();
            paths.properties().forEach(path -> {
                var item = (ObjectNode) path.getValue();
                item.remove(METHODS.stream().filter(method -> item.has(method) && item.get(method).has(MODULE)
                        && !modules.contains(item.get(method).get(MODULE).asText())).toList());
                if (METHODS.stream().noneMatch(item::has)) {
                    emptied.add(path.getKey());
                }
            });
            paths.remove(emptied);
            return mapper.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] loadOpenApi() {
        try (InputStream in = OperationsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
