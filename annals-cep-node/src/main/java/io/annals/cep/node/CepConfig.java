package io.annals.cep.node;

import io.annals.cep.CepLimits;
import io.annals.cep.store.CepProcessor;
import io.annals.cep.text.PatternDefinition;
import io.annals.cep.text.PatternSyntaxException;
import io.annals.cep.text.PatternText;
import io.annals.event.StreamId;
import io.annals.node.Settings;
import io.annals.store.EventFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * The {@code cep} module's settings, read and checked when the module is installed, so that a
 * mistake stops the node's start with a message that names the key.
 *
 * @param patterns        the patterns to run, one processor each, named after the pattern
 * @param input           which events the patterns read
 * @param lateness        how far behind the latest event time an event may arrive and still match
 * @param tick            how often the clock moves the watermark, so windows end without traffic
 * @param checkpointEvery input events between checkpoints
 * @param limits          caps on each pattern's state
 */
public record CepConfig(List<PatternDefinition> patterns, EventFilter input, Duration lateness, Duration tick,
                        int checkpointEvery, CepLimits limits) {

    public static final Duration DEFAULT_LATENESS = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
    public static final int DEFAULT_CHECKPOINT_EVERY = 1000;

    public CepConfig {
        patterns = List.copyOf(patterns);
    }

    /** Reads the settings of module {@code cep} (keys without the {@code cep.} prefix). */
    public static CepConfig from(Settings settings) {
        return from(settings, true);
    }

    /**
     * Reads the settings of module {@code cep}; {@code patternsRequired} false lets them name no
     * pattern (the application hands the module its own).
     */
    public static CepConfig from(Settings settings, boolean patternsRequired) {
        var patterns = patternsRequired || settings.get("patterns").isPresent() || settings.get("patterns-file").isPresent()
                ? patterns(settings) : List.<PatternDefinition>of();
        var names = new HashSet<String>();
        for (PatternDefinition pattern : patterns) {
            String name = pattern.pattern().name();
            if (!StreamId.isValid(CepProcessor.CHECKPOINT_CATEGORY + "-" + name + "-1")) {
                throw new IllegalArgumentException("setting " + CepModule.NAME + ".patterns: pattern " + name
                        + " names its streams, so it may hold letters, digits and . _ : @ only");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("setting " + CepModule.NAME + ".patterns: pattern " + name
                        + " is defined twice");
            }
        }
        Duration lateness = settings.duration("lateness", DEFAULT_LATENESS);
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("setting " + CepModule.NAME + ".lateness must not be negative, got " + lateness);
        }
        Duration tick = settings.duration("tick", DEFAULT_TICK);
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("setting " + CepModule.NAME + ".tick must be positive, got " + tick);
        }
        int checkpointEvery = settings.integer("checkpoint-every", DEFAULT_CHECKPOINT_EVERY);
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("setting " + CepModule.NAME + ".checkpoint-every must be at least 1, got "
                    + checkpointEvery);
        }
        int perKey = settings.integer("max-partial-matches-per-key", CepLimits.DEFAULT.maxPartialMatchesPerKey());
        int total = settings.integer("max-partial-matches", (int) Math.min(Integer.MAX_VALUE, CepLimits.DEFAULT.maxPartialMatches()));
        if (perKey < 1 || total < 1) {
            throw new IllegalArgumentException("settings " + CepModule.NAME + ".max-partial-matches-per-key and "
                    + CepModule.NAME + ".max-partial-matches must be at least 1");
        }
        EventFilter input = EventFilter.streamPrefix(settings.get("streams", ""));
        return new CepConfig(patterns, input, lateness, tick, checkpointEvery, new CepLimits(perKey, total));
    }

    /** The patterns of {@code patterns} (the text itself) or {@code patterns-file} (a file that holds it): one of them. */
    private static List<PatternDefinition> patterns(Settings settings) {
        var inline = settings.get("patterns");
        var file = settings.get("patterns-file");
        if (inline.isPresent() == file.isPresent()) {
            throw new IllegalArgumentException("module " + CepModule.NAME + " needs its patterns: set exactly one of "
                    + CepModule.NAME + ".patterns (the text) and " + CepModule.NAME + ".patterns-file (a file with it)");
        }
        String key = inline.isPresent() ? "patterns" : "patterns-file";
        String text = inline.orElseGet(() -> read(Path.of(file.orElseThrow())));
        List<PatternDefinition> patterns;
        try {
            patterns = PatternText.parse(text);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("setting " + CepModule.NAME + "." + key + ": " + e.getMessage(), e);
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("setting " + CepModule.NAME + "." + key + " holds no PATTERN");
        }
        return patterns;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("setting " + CepModule.NAME + ".patterns-file: cannot read " + file
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
