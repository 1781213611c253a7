package io.annals.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** A projection's meters: events handled, errors, dead letters, state and lag, tagged with its name. */
final class ProjectionMetrics {

    private final Counter handled;
    private final Counter errors;
    private final Counter parked;
    private final EventRate rate = new EventRate();

    ProjectionMetrics(MeterRegistry registry, String projection, Supplier<ProjectionState> state,
                      Supplier<Double> lagSeconds) {
        handled = Counter.builder("annals.projection.events").tag("projection", projection)
                .description("events applied to the read model").register(registry);
        errors = Counter.builder("annals.projection.errors").tag("projection", projection)
                .description("failed attempts to apply an event").register(registry);
        parked = Counter.builder("annals.projection.dead.letters").tag("projection", projection)
                .description("events parked after their last retry").register(registry);
        Gauge.builder("annals.projection.state", () -> state.get().ordinal()).tag("projection", projection)
                .description("0 stopped, 1 waiting, 2 catching up, 3 live, 4 rebuilding, 5 failed").register(registry);
        Gauge.builder("annals.projection.lag.seconds", lagSeconds::get).tag("projection", projection)
                .description("age of the last applied event when it was applied").register(registry);
    }

    void handled(int events) {
        handled.increment(events);
        rate.record(events, System.currentTimeMillis());
    }

    void error() {
        errors.increment();
    }

    void parked() {
        parked.increment();
    }

    double perSecond() {
        return rate.perSecond(System.currentTimeMillis());
    }
}
