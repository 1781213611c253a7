package io.annals.sagas;

import java.util.List;
import java.util.Optional;

/**
 * One saga instance as its stream tells it: for operators and tests.
 *
 * @param version the version of the last event of its stream
 * @param error   the last error recorded (a step's or a compensation's), if any
 * @param history every event of its stream, in order
 */
public record SagaView(String sagaId, String saga, SagaStatus status, long version, List<StepView> steps,
                       Optional<String> error, List<SagaEvent> history) {

    public SagaView {
        steps = List.copyOf(steps);
        history = List.copyOf(history);
    }

    /**
     * @param attempts             tries of the action so far
     * @param result               the action's answer, when it succeeded
     * @param compensationAttempts tries of the compensation so far
     */
    public record StepView(String name, int attempts, boolean succeeded, Optional<String> result,
                           int compensationAttempts, boolean compensated) {
    }
}
