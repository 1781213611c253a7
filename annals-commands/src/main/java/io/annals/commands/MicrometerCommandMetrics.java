package io.annals.commands;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link CommandMetrics} as a Micrometer timer {@code annals.commands} tagged with the command's
 * simple class name ({@code command}) and the outcome kind ({@code outcome}). Micrometer is an
 * optional dependency of this module: add {@code micrometer-core} to use this class.
 */
public final class MicrometerCommandMetrics implements CommandMetrics {

    public static final String TIMER = "annals.commands";

    private final MeterRegistry registry;

    public MicrometerCommandMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void dispatched(Class<?> commandType, String outcome, Duration duration) {
        Timer.builder(TIMER)
                .description("Commands dispatched through the command bus, by command and outcome")
                .tag("command", commandType.getSimpleName())
                .tag("outcome", outcome)
                .register(registry)
                .record(duration);
    }
}
