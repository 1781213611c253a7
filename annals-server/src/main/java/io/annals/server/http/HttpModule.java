package io.annals.server.http;

import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * One group of routes the node serves. The composition root ({@link io.annals.server.AnnalsNode})
 * registers each module; later features (projections, sagas, the dashboard) add theirs the same way.
 */
@FunctionalInterface
public interface HttpModule {

    void register(JavalinDefaultRoutingApi routes);
}
