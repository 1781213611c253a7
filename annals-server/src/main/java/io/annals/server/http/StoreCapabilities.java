package io.annals.server.http;

import io.annals.node.ApiProblem;
import io.annals.store.EventStore;

/**
 * The optional parts of a store (conditional appends, reads and subscriptions by query) as a
 * route needs them. Every store the node opens has them all; a store handed to an embedded node
 * that lacks one gets a 501 on the routes that need it, and serves every other route.
 */
public final class StoreCapabilities {

    private StoreCapabilities() {
    }

    /** The store as {@code capability}, or a 501 problem naming {@code what} it cannot do. */
    public static <T> T require(EventStore store, Class<T> capability, String what) {
        if (capability.isInstance(store)) {
            return capability.cast(store);
        }
        throw new ApiProblem(501, "Not Implemented", "this node's store (" + store.getClass().getSimpleName()
                + ") cannot " + what);
    }
}
