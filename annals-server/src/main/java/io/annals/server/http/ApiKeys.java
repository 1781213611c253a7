package io.annals.server.http;

import io.annals.node.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The bearer keys that grant {@link Role}s. With no key set every route is open (the node then
 * only listens on loopback). The user key grants {@link Role#USER}, the admin key
 * {@link Role#ADMIN}. When only one key is set it grants everything, so that a single-key
 * deployment needs no second secret.
 */
public record ApiKeys(Optional<String> userKey, Optional<String> adminKey) {

    public static final ApiKeys NONE = new ApiKeys(Optional.empty(), Optional.empty());

    public ApiKeys {
        userKey = userKey.filter(key -> !key.isBlank());
        adminKey = adminKey.filter(key -> !key.isBlank());
    }

    public static ApiKeys of(String userKey, String adminKey) {
        return new ApiKeys(Optional.ofNullable(userKey), Optional.ofNullable(adminKey));
    }

    public boolean enabled() {
        return userKey.isPresent() || adminKey.isPresent();
    }

    /** The role a presented key grants; {@link Role#PUBLIC} for a wrong or missing key. */
    public Role roleOf(String presented) {
        if (presented == null) {
            return Role.PUBLIC;
        }
        if (adminKey.isPresent() && matches(adminKey.get(), presented)) {
            return Role.ADMIN;
        }
        if (userKey.isPresent() && matches(userKey.get(), presented)) {
            return adminKey.isPresent() ? Role.USER : Role.ADMIN;
        }
        return Role.PUBLIC;
    }

    private static boolean matches(String expected, String presented) {
        // constant time, so that response timing does not reveal how much of a key was right
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiKeys[user=" + (userKey.isPresent() ? "set" : "unset") + ", admin=" + (adminKey.isPresent() ? "set" : "unset") + "]";
    }
}
