package io.annals.commands;

import java.time.Duration;

/**
 * Where {@link MetricsInterceptor} reports each dispatch. Implement it over your metrics library,
 * or use {@link MicrometerCommandMetrics}.
 */
@FunctionalInterface
public interface CommandMetrics {

    /**
     * @param commandType the command's class
     * @param outcome     {@link CommandResult#kind()}, or {@code error} when the dispatch threw
     */
    void dispatched(Class<?> commandType, String outcome, Duration duration);
}
