package io.annals.server;

import io.annals.cep.node.CepModule;
import io.annals.projection.node.ProjectionsModule;
import io.annals.sagas.node.SagasModule;
import io.annals.users.node.UserService;
import io.annals.users.node.UsersModule;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's user example as {@code annals serve} runs it unless {@code --no-examples}: the
 * configured modules followed by the example's {@code projections}, {@code cep}, {@code sagas} and
 * {@code users} (see {@link UserService}), those it names already taking the example's place.
 */
public final class Examples {

    /** The modules the example adds, in the order they start. */
    public static final List<String> MODULES = List.of(ProjectionsModule.NAME, CepModule.NAME, SagasModule.NAME, UsersModule.NAME);

    private Examples() {
    }

    /** The configuration with the example's modules after those it names. */
    public static NodeConfig withExamples(NodeConfig config) {
        var modules = new ArrayList<>(config.modules());
        for (String module : MODULES) {
            if (!modules.contains(module)) {
                modules.add(module);
            }
        }
        return config.withModules(modules);
    }

    /** Starts a node serving the example beside the configured modules. */
    public static AnnalsNode start(NodeConfig config) {
        NodeConfig withExamples = withExamples(config);
        return AnnalsNode.start(withExamples, store -> UserService.modules(store, withExamples.settings()));
    }
}
