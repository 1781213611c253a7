package io.annals.server.http;

import io.annals.node.ApiProblem;
import io.annals.node.Role;
import java.time.Clock;
import java.util.Map;

/**
 * Decides whether a request may reach a route, from the {@link Role} the route needs and the
 * bearer key the request presents.
 */
public final class AccessControl {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final StreamTokens streamTokens;
    private final Clock clock;

    public AccessControl(ApiKeys keys, StreamTokens streamTokens, Clock clock) {
        this.keys = keys;
        this.streamTokens = streamTokens;
        this.clock = clock;
    }

    /** Whether a route that needs {@code required} is open to every request, key or none. */
    public boolean open(Role required) {
        return required == Role.PUBLIC || !keys.enabled();
    }

    /**
     * Refuses a request that needs {@code required} and presents {@code authorization} (the
     * header's value, or {@code null}) or, for an event stream, {@code streamToken} (or
     * {@code null}): 401 without a valid key or token, 403 with one whose role is too low.
     */
    public void check(Role required, String authorization, String streamToken) {
        if (open(required)) {
            return;
        }
        Role granted = keys.roleOf(bearerToken(authorization));
        if (granted == Role.PUBLIC && streamToken != null) {
            granted = streamTokens.roleOf(streamToken, clock.instant());
        }
        if (granted == Role.PUBLIC) {
            throw new ApiProblem(401, "Unauthorized", "this endpoint needs 'Authorization: Bearer <key>' with a valid key");
        }
        if (!granted.grants(required)) {
            throw new ApiProblem(403, "Forbidden", "this endpoint needs the " + required.label() + " key",
                    Map.of("required", required.label()));
        }
    }

    /** The role the request's key grants: every role when the node has no keys. */
    public Role roleOf(String authorization) {
        return keys.enabled() ? keys.roleOf(bearerToken(authorization)) : Role.ADMIN;
    }

    /** A token that opens event streams with the role of {@code authorization}'s key, for a short while. */
    public String mintStreamToken(String authorization) {
        return streamTokens.mint(roleOf(authorization), clock.instant());
    }

    private static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }
}
