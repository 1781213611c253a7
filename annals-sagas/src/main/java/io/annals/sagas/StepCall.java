package io.annals.sagas;

import java.util.Map;
import java.util.Optional;

/**
 * What a step's action or compensation is told when it is called.
 *
 * @param sagaId  the saga instance
 * @param step    the step's name
 * @param attempt the try, from 1; above 1 the action may already have run (fully or partly) before
 * @param result  for a compensation, what the step's action answered, or empty when the action
 *                never reported success (it failed, timed out, or the process stopped while it ran)
 * @param results the answers of the steps that succeeded before, by step name
 */
public record StepCall(String sagaId, String step, int attempt, Optional<String> result, Map<String, String> results) {

    public StepCall {
        results = Map.copyOf(results);
    }

    /** The same on every try of this step of this saga: hand it to the service so that it drops repeats. */
    public String idempotencyKey() {
        return sagaId + "/" + step;
    }

    /** Whether an earlier try may have run: the action must then check before it acts again. */
    public boolean isRetry() {
        return attempt > 1;
    }
}
