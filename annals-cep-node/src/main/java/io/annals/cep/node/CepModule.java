package io.annals.cep.node;

import io.annals.cep.store.CepProcessor;
import io.annals.cep.text.PatternDefinition;
import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.Role;
import io.annals.store.EventStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Complex event processing in the node: each pattern of the configuration runs as a
 * {@link CepProcessor} over the store (a checkpointed subscription; matches appended to
 * {@code cep-<pattern>} as {@code <pattern>Detected} events with the tags
 * {@code cep-pattern:<pattern>} and {@code <key name>:<key>}).
 * <p>
 * Settings ({@code --set cep.KEY=VALUE}): {@code patterns} (the pattern text) or
 * {@code patterns-file} (a file holding it); {@code streams} (prefix of the streams read; default
 * all), {@code lateness} (default 1s), {@code tick} (default 1s), {@code checkpoint-every} (input
 * events, default 1000), {@code max-partial-matches-per-key} and {@code max-partial-matches}.
 * <p>
 * An application that embeds the node may hand the module patterns of its own
 * ({@link #CepModule(List)}); they run, show and count like those of the settings, which may then
 * name none.
 * <p>
 * Routes (admin): {@code GET /api/cep/patterns} and {@code GET /api/cep/patterns/{name}}, each
 * pattern's progress and state. Health part {@code cep}: down when a pattern's subscription failed.
 * Meters {@code annals.cep.*} tagged with the pattern.
 */
public final class CepModule implements NodeModule {

    public static final String NAME = "cep";
    public static final String PATTERNS_PATH = "/api/cep/patterns";
    private static final Logger LOG = LoggerFactory.getLogger(CepModule.class);

    private final List<CepPattern> provided;

    /** The module as {@code --modules cep} loads it: the patterns of its settings. */
    public CepModule() {
        this(List.of());
    }

    /** {@code provided}: the application's patterns, run beside those of the settings. */
    public CepModule(List<CepPattern> provided) {
        this.provided = List.copyOf(provided);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(NodeContext node) {
        CepConfig config = CepConfig.from(node.settings(), provided.isEmpty());
        List<CepPattern> patterns = patterns(config, provided);
        var running = new CopyOnWriteArrayList<CepProcessor>();
        var status = new CepStatus(patterns, running);

        node.routes().get(PATTERNS_PATH, Role.ADMIN, ctx -> node.json().send(ctx, 200, Map.of("patterns", status.all())));
        node.routes().get(PATTERNS_PATH + "/{name}", Role.ADMIN, ctx -> node.json().send(ctx, 200, status.one(ctx.pathParam("name"))));
        node.healthCheck(NAME, () -> {
            List<String> failed = status.failed();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("patterns", patterns.size());
            details.put("failed", failed);
            return failed.isEmpty() ? Health.up(details) : Health.down(details);
        });
        for (CepPattern pattern : patterns) {
            meters(node.meterRegistry(), pattern.name(), status);
        }
        node.onStart(() -> {
            try {
                for (CepPattern pattern : patterns) {
                    running.add(start(node.store(), config, pattern));
                }
            } catch (RuntimeException e) {
                // the node runs no stop hook of a module whose start failed
                stop(running);
                throw e;
            }
            LOG.info("CEP: running {} pattern(s): {}", running.size(), running.stream().map(CepProcessor::name).toList());
        });
        node.onStop(() -> stop(running));
    }

    /** Closes the processors, the last started first; each close writes a last checkpoint while the store is open. */
    private static void stop(List<CepProcessor> running) {
        for (CepProcessor processor : new ArrayList<>(running).reversed()) {
            try {
                processor.close();
            } catch (RuntimeException e) {
                LOG.warn("CEP: pattern {} did not stop cleanly: {}", processor.name(), e.toString());
            }
        }
        running.clear();
    }

    /** Those of the settings, each named after its pattern, then the application's; one name each. */
    private static List<CepPattern> patterns(CepConfig config, List<CepPattern> provided) {
        var patterns = new ArrayList<CepPattern>();
        for (PatternDefinition definition : config.patterns()) {
            patterns.add(new CepPattern(definition.pattern().name(), definition, config.input(), config.lateness()));
        }
        var names = new HashSet<String>();
        patterns.forEach(pattern -> names.add(pattern.name()));
        for (CepPattern pattern : provided) {
            if (!names.add(pattern.name())) {
                throw new IllegalArgumentException("setting " + NAME + ".patterns: pattern " + pattern.name()
                        + " is also run by the application; name it otherwise");
            }
            patterns.add(pattern);
        }
        return List.copyOf(patterns);
    }

    private static CepProcessor start(EventStore store, CepConfig config, CepPattern pattern) {
        String name = pattern.name();
        return CepProcessor.builder(store, name, pattern.definition())
                .filter(pattern.input())
                .allowedLateness(pattern.lateness())
                .tick(config.tick())
                .checkpointEvery(config.checkpointEvery())
                .limits(config.limits())
                .onLate(event -> LOG.debug("CEP: pattern {}: late event {} at {}", name, event.eventId(), event.position()))
                .start();
    }

    private static void meters(MeterRegistry registry, String pattern, CepStatus status) {
        Gauge.builder("annals.cep.partial.matches", status, s -> s.metric(pattern, m -> m.partialMatches()))
                .tag("pattern", pattern).description("partial matches held, waiting absences included")
                .register(registry);
        Gauge.builder("annals.cep.keys", status, s -> s.metric(pattern, m -> m.keys()))
                .tag("pattern", pattern).description("partition keys with state").register(registry);
        FunctionCounter.builder("annals.cep.matches", status, s -> s.metric(pattern, m -> m.matches()))
                .tag("pattern", pattern).description("matches emitted since the pattern's first start").register(registry);
        FunctionCounter.builder("annals.cep.late.events", status, s -> s.metric(pattern, m -> m.lateEvents()))
                .tag("pattern", pattern).description("events that arrived behind the watermark").register(registry);
        FunctionCounter.builder("annals.cep.dropped.partial.matches", status, s -> s.metric(pattern, m -> m.droppedPartialMatches()))
                .tag("pattern", pattern).description("partial matches dropped at a cap").register(registry);
    }
}
