package io.annals.node;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration values by key. A module sees its own: {@code get("poll-interval")} in module
 * {@code projections} reads the node's key {@code projections.poll-interval}, which
 * {@code annals serve} takes from {@code --set projections.poll-interval=2s}, the environment
 * ({@code ANNALS_PROJECTIONS_POLL_INTERVAL}) or the config file, in that order.
 * <p>
 * A value that cannot be read as asked fails with an {@link IllegalArgumentException} that names
 * the full key, so that a module reading its settings in {@code install} stops the node's start
 * with a clear message.
 */
public final class Settings {

    /** No values at all. */
    public static final Settings NONE = new Settings(key -> null, "");

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Function<String, String> lookup;
    private final String prefix;

    private Settings(Function<String, String> lookup, String prefix) {
        this.lookup = lookup;
        this.prefix = prefix;
    }

    /** Values from a lookup of full keys that answers {@code null} for a key it does not have. */
    public static Settings from(Function<String, String> lookup) {
        return new Settings(lookup, "");
    }

    public static Settings of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return from(copy::get);
    }

    /** The settings under {@code name}: key {@code k} of the result is key {@code name.k} here. */
    public Settings scope(String name) {
        return new Settings(lookup, prefix + name + ".");
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(lookup.apply(prefix + key)).map(String::trim).filter(value -> !value.isEmpty());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        return get(key).map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw invalid(key, text, "an integer");
            }
        }).orElse(fallback);
    }

    public boolean flag(String key, boolean fallback) {
        return get(key).map(text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text, "true or false");
        }).orElse(fallback);
    }

    public Duration duration(String key, Duration fallback) {
        return get(key).map(text -> {
            try {
                return parseDuration(text);
            } catch (IllegalArgumentException e) {
                throw invalid(key, text, "a duration like 500ms, 15s, 2m or PT15S");
            }
        }).orElse(fallback);
    }

    /** Reads {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT15S}). */
    public static Duration parseDuration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text.trim());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 15s or 2m");
        }
    }

    private IllegalArgumentException invalid(String key, String text, String expected) {
        return new IllegalArgumentException("setting " + prefix + key + " must be " + expected + ", got '" + text + "'");
    }
}
