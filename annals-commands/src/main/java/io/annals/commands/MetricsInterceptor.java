package io.annals.commands;

import io.annals.aggregate.CommandContext;
import java.time.Duration;
import java.util.Objects;

/** Reports each dispatch's duration and outcome kind to a {@link CommandMetrics}. */
public final class MetricsInterceptor implements CommandInterceptor {

    private final CommandMetrics metrics;

    public MetricsInterceptor(CommandMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public CommandResult intercept(Object command, CommandContext context, Next next) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            CommandResult result = next.proceed(command, context);
            outcome = result.kind();
            return result;
        } finally {
            metrics.dispatched(command.getClass(), outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
