package io.annals.server.http;

import io.annals.server.http.ApiKeys.Access;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Map;

/**
 * Checks the bearer key of every {@code /api/*} request before it reaches a handler: reads need
 * the user key, writes and deletes the admin key.
 */
public final class AccessControl {

    /** The paths it guards, as a Javalin path pattern. */
    public static final String PATH = "/api/*";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public AccessControl(ApiKeys keys) {
        this.keys = keys;
    }

    public void check(Context ctx) {
        check(requiredFor(ctx.method()), ctx.header("Authorization"));
    }

    /**
     * Refuses a request that needs {@code required} and presents {@code authorization} (the
     * header's value, or {@code null}) with a 401 or 403 problem, unless its key grants it.
     */
    public void check(Access required, String authorization) {
        if (!keys.enabled()) {
            return;
        }
        Access granted = keys.accessOf(bearerToken(authorization));
        if (granted == Access.NONE) {
            throw new ApiProblem(401, "Unauthorized", "this endpoint needs 'Authorization: Bearer <key>' with a valid key");
        }
        if (!granted.allows(required)) {
            throw new ApiProblem(403, "Forbidden", "this endpoint needs the admin key", Map.of("required", "admin"));
        }
    }

    public boolean enabled() {
        return keys.enabled();
    }

    static Access requiredFor(HandlerType method) {
        return method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS
                ? Access.READ : Access.ADMIN;
    }

    private static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }
}
