package io.annals.sagas;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of an orchestrated saga: an action, the compensation that undoes it, and how each
 * is retried and how long one try of the action may take.
 *
 * @param <I> the saga's input
 */
public record Step<I>(String name, Action<I> action, Compensation<I> compensation, RetryPolicy retry,
                      RetryPolicy compensationRetry, Duration timeout) {

    /** Does the step's work; what it returns is recorded and handed to later steps and to its compensation. */
    @FunctionalInterface
    public interface Action<I> {
        String run(I input, StepCall call) throws Exception;
    }

    /** Undoes a step's work; must also be safe when the action never ran or ran only partly. */
    @FunctionalInterface
    public interface Compensation<I> {
        void compensate(I input, StepCall call) throws Exception;

        static <I> Compensation<I> none() {
            return (input, call) -> {
            };
        }
    }

    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(compensation, "compensation");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(compensationRetry, "compensationRetry");
        Objects.requireNonNull(timeout, "timeout");
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("step name must be 1 to 100 non-blank characters");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("step timeout must be positive, got " + timeout);
        }
    }

    /** A step tried once, with a timeout of 30 seconds. */
    public static <I> Step<I> of(String name, Action<I> action, Compensation<I> compensation) {
        return new Step<>(name, action, compensation, RetryPolicy.none(), RetryPolicy.none(), Duration.ofSeconds(30));
    }

    public Step<I> withRetry(RetryPolicy value) {
        return new Step<>(name, action, compensation, value, compensationRetry, timeout);
    }

    public Step<I> withCompensationRetry(RetryPolicy value) {
        return new Step<>(name, action, compensation, retry, value, timeout);
    }

    public Step<I> withTimeout(Duration value) {
        return new Step<>(name, action, compensation, retry, compensationRetry, value);
    }
}
