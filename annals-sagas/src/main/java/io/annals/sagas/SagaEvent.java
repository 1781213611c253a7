package io.annals.sagas;

import java.time.Instant;

/**
 * What a saga instance records in its own stream ({@code saga-<id>}). An action is called only
 * after its {@link StepStarted} is stored, so a stream that ends with a started step without an
 * outcome says that the action may have run: the next try is told it is a retry.
 */
public sealed interface SagaEvent {

    record SagaStarted(String saga, String input) implements SagaEvent {
    }

    /**
     * @param node       the engine that calls the action
     * @param leaseUntil until when that engine has it: another engine takes the try for
     *                   interrupted only after this (null: no lease, written before leases existed)
     */
    record StepStarted(String step, int attempt, String node, Instant leaseUntil) implements SagaEvent {
        public StepStarted(String step, int attempt) {
            this(step, attempt, null, null);
        }
    }

    record StepSucceeded(String step, int attempt, String result) implements SagaEvent {
    }

    /** @param retryAt when the next try is due, or {@code null} when the step has no tries left */
    record StepFailed(String step, int attempt, String error, Instant retryAt) implements SagaEvent {
    }

    record SagaFailed(String step, String error) implements SagaEvent {
    }

    /** As {@link StepStarted}, for a compensation. */
    record CompensationStarted(String step, int attempt, String node, Instant leaseUntil) implements SagaEvent {
        public CompensationStarted(String step, int attempt) {
            this(step, attempt, null, null);
        }
    }

    record StepCompensated(String step, int attempt) implements SagaEvent {
    }

    /** @param retryAt when the next try is due, or {@code null} when the compensation has no tries left */
    record CompensationFailed(String step, int attempt, String error, Instant retryAt) implements SagaEvent {
    }

    record SagaNeedsAttention(String step, String error) implements SagaEvent {
    }

    record SagaCompleted() implements SagaEvent {
    }

    record SagaCompensated() implements SagaEvent {
    }

    /** A person asked to try the failed compensation again, with a fresh set of tries. */
    record SagaRetryRequested(String note) implements SagaEvent {
    }

    /** A person dealt with the failed compensation themselves. */
    record SagaResolved(String note) implements SagaEvent {
    }
}
