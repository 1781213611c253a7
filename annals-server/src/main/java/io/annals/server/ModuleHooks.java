package io.annals.server;

import io.annals.node.NodeContext.Hook;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules' start, stopping and stop hooks, in the order the modules were installed: start
 * hooks in that order, stop hooks in reverse and only for modules that started.
 */
final class ModuleHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleHooks.class);

    /** One module's hooks. */
    private record Module(String name, List<Hook> start, List<Hook> stopping, List<Hook> stop) {
    }

    private final List<Module> modules = new ArrayList<>();
    private final List<Module> started = new ArrayList<>();

    synchronized void onStart(String module, Hook hook) {
        of(module).start().add(hook);
    }

    synchronized void onStopping(String module, Hook hook) {
        of(module).stopping().add(hook);
    }

    synchronized void onStop(String module, Hook hook) {
        of(module).stop().add(hook);
    }

    private Module of(String name) {
        for (Module module : modules) {
            if (module.name().equals(name)) {
                return module;
            }
        }
        var module = new Module(name, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        modules.add(module);
        return module;
    }

    /** Runs every start hook; the first that fails ends the start with its failure. */
    synchronized void start() {
        for (Module module : modules) {
            started.add(module);
            for (Hook hook : module.start()) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("module " + module.name() + " failed to start: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Runs the stopping hooks of the started modules; a failing one is logged and the rest still run. */
    synchronized void stopping() {
        for (Module module : started) {
            run(module.name(), module.stopping(), "stopping");
        }
    }

    /** Runs the stop hooks of the started modules in reverse order, once. */
    synchronized void stop() {
        for (Module module : started.reversed()) {
            run(module.name(), module.stop().reversed(), "stop");
        }
        started.clear();
    }

    private static void run(String module, List<Hook> hooks, String phase) {
        for (Hook hook : hooks) {
            try {
                hook.run();
            } catch (Exception e) {
                LOG.error("module {}: a {} hook failed", module, phase, e);
            }
        }
    }
}
