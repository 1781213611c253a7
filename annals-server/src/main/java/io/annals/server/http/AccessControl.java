package io.annals.server.http;

import io.annals.node.ApiProblem;
import io.annals.node.Role;
import java.util.Map;

/**
 * Decides whether a request may reach a route, from the {@link Role} the route needs and the
 * bearer key the request presents.
 */
public final class AccessControl {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public AccessControl(ApiKeys keys) {
        this.keys = keys;
    }

    /** Whether a route that needs {@code required} is open to every request, key or none. */
    public boolean open(Role required) {
        return required == Role.PUBLIC || !keys.enabled();
    }

    /**
     * Refuses a request that needs {@code required} and presents {@code authorization} (the
     * header's value, or {@code null}): 401 without a valid key, 403 with a key whose role is
     * too low.
     */
    public void check(Role required, String authorization) {
        if (open(required)) {
            return;
        }
        Role granted = keys.roleOf(bearerToken(authorization));
        if (granted == Role.PUBLIC) {
            throw new ApiProblem(401, "Unauthorized", "this endpoint needs 'Authorization: Bearer <key>' with a valid key");
        }
        if (!granted.grants(required)) {
            throw new ApiProblem(403, "Forbidden", "this endpoint needs the " + required.label() + " key",
                    Map.of("required", required.label()));
        }
    }

    private static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }
}
