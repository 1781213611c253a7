package io.annals.server;

import io.annals.node.NodeModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the modules that configuration names among those on the class path ({@link ServiceLoader}). */
public final class NodeModules {

    private NodeModules() {
    }

    /** The modules named, in that order; an unknown name fails, listing those there are. */
    public static List<NodeModule> load(List<String> names) {
        return load(names, List.of());
    }

    /**
     * The modules named, in that order, taking a module from {@code provided} (instances an
     * application put together) before one of the same name on the class path.
     */
    public static List<NodeModule> load(List<String> names, List<NodeModule> provided) {
        Map<String, NodeModule> available = available();
        for (NodeModule module : provided) {
            available.put(module.name(), module);
        }
        var modules = new ArrayList<NodeModule>(names.size());
        for (String name : names) {
            NodeModule module = available.get(name);
            if (module == null) {
                throw new IllegalArgumentException("no module named '" + name + "'; available: "
                        + String.join(", ", available.keySet()));
            }
            modules.add(module);
        }
        return modules;
    }

    /** Every module on the class path, by name. */
    public static Map<String, NodeModule> available() {
        var byName = new TreeMap<String, NodeModule>();
        for (NodeModule module : ServiceLoader.load(NodeModule.class)) {
            NodeModule other = byName.putIfAbsent(module.name(), module);
            if (other != null) {
                throw new IllegalStateException("two modules are named " + module.name() + ": "
                        + other.getClass().getName() + " and " + module.getClass().getName());
            }
        }
        return byName;
    }
}
