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

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public AccessControl(ApiKeys keys) {
        this.keys = keys;
    }

    public void check(Context ctx) {
        if (!keys.enabled()) {
            return;
        }
        Access granted = keys.accessOf(bearerToken(ctx.header("Authorization")));
        if (granted == Access.NONE) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"annals\"");
            throw new ApiProblem(401, "Unauthorized", "this endpoint needs 'Authorization: Bearer <key>' with a valid key");
        }
        Access required = requiredFor(ctx.method());
        if (!granted.allows(required)) {
            throw new ApiProblem(403, "Forbidden", "this endpoint needs the admin key", Map.of("required", "admin"));
        }
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
