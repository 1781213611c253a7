package io.annals.node;

import java.util.Locale;

/**
 * Who may call a route. Every route declares the one it needs when it is registered
 * ({@link Routes}); the node checks it before the handler runs, whatever the route's path.
 * <p>
 * With API keys configured, a request without a valid key is {@link #PUBLIC}, the user key
 * makes it {@link #USER} and the admin key {@link #ADMIN}; a higher role may do all a lower
 * one may. Without keys (a node on loopback) every request may do everything.
 */
public enum Role {
    /** Anyone, with or without a key: health, metrics, the API description. */
    PUBLIC,
    /** A caller with the user key (or the admin key): reads. */
    USER,
    /** A caller with the admin key: writes, deletes, operations. */
    ADMIN;

    /** Whether a caller with this role may call a route that needs {@code required}. */
    public boolean grants(Role required) {
        return compareTo(required) >= 0;
    }

    /** The role's name in configuration and answers: {@code public}, {@code user}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
