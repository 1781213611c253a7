package io.annals.server;

import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import java.util.function.Consumer;

/** Modules made up in a test from a name and what they install. */
final class TestModules {

    private TestModules() {
    }

    static NodeModule of(String name, Consumer<NodeContext> install) {
        return new NodeModule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void install(NodeContext node) {
                install.accept(node);
            }
        };
    }
}
