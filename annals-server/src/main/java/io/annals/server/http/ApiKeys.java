package io.annals.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The bearer keys that guard {@code /api/*}. With no key set the API is open (the node then only
 * listens on loopback). The user key may read; the admin key may also write and delete. When only
 * one key is set it grants everything, so that a single-key deployment needs no second secret.
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

    /** What a presented key may do; {@link Access#NONE} for a wrong or missing key. */
    public Access accessOf(String presented) {
        if (presented == null) {
            return Access.NONE;
        }
        if (adminKey.isPresent() && matches(adminKey.get(), presented)) {
            return Access.ADMIN;
        }
        if (userKey.isPresent() && matches(userKey.get(), presented)) {
            return adminKey.isPresent() ? Access.READ : Access.ADMIN;
        }
        return Access.NONE;
    }

    private static boolean matches(String expected, String presented) {
        // constant time, so that response timing does not reveal how much of a key was right
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiKeys[user=" + (userKey.isPresent() ? "set" : "unset") + ", admin=" + (adminKey.isPresent() ? "set" : "unset") + "]";
    }

    public enum Access {
        NONE, READ, ADMIN;

        public boolean allows(Access required) {
            return compareTo(required) >= 0;
        }
    }
}
