package io.annals.projection;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A projection registered with a runtime: its definition, options, meters, generation and workers. */
final class RunningProjection {

    private final Projection definition;
    private final ProjectionOptions options;
    private final ProjectionMetrics metrics;
    volatile int generation;
    volatile List<PartitionWorker> live = List.of();
    volatile Rebuild rebuild;
    /** Set while this runtime moves to a generation another runtime built. */
    final AtomicBoolean following = new AtomicBoolean();

    RunningProjection(Projection definition, ProjectionOptions options, ProjectionMetrics metrics, int generation) {
        this.definition = definition;
        this.options = options;
        this.metrics = metrics;
        this.generation = generation;
    }

    String name() {
        return definition.name();
    }

    Projection definition() {
        return definition;
    }

    ProjectionOptions options() {
        return options;
    }

    ProjectionMetrics metrics() {
        return metrics;
    }

    /** A rebuild under way: workers filling the next generation, and the time it started. */
    record Rebuild(int generation, List<PartitionWorker> workers, long startedNanos, Thread monitor) {
    }
}
