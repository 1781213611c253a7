package io.annals.server.http.ops;

import io.annals.server.http.HttpModule;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json}: the hand-written OpenAPI 3.1 description of every route. */
public final class OpenApiRoutes implements HttpModule {

    public static final String PATH = "/openapi.json";
    public static final String RESOURCE = "/io/annals/server/openapi.json";

    private final byte[] document;

    public OpenApiRoutes() {
        this.document = load();
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(PATH, ctx -> ctx.contentType("application/json").result(document));
    }

    public static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
