package io.annals.sagas;

import io.annals.sagas.SagaEvent.CompensationFailed;
import io.annals.sagas.SagaEvent.CompensationStarted;
import io.annals.sagas.SagaEvent.SagaCompensated;
import io.annals.sagas.SagaEvent.SagaCompleted;
import io.annals.sagas.SagaEvent.SagaFailed;
import io.annals.sagas.SagaEvent.SagaNeedsAttention;
import io.annals.sagas.SagaEvent.SagaResolved;
import io.annals.sagas.SagaEvent.SagaRetryRequested;
import io.annals.sagas.SagaEvent.SagaStarted;
import io.annals.sagas.SagaEvent.StepCompensated;
import io.annals.sagas.SagaEvent.StepFailed;
import io.annals.sagas.SagaEvent.StepStarted;
import io.annals.sagas.SagaEvent.StepSucceeded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A saga instance folded from its stream, and the one thing to do next. Pure: the engine does the
 * doing, so that the rules can be tested without a store or a clock.
 */
final class SagaState {

    /** The next thing the engine must do for an instance. */
    sealed interface Next {
        /** Record the start of try {@code attempt} of step {@code step}, then call its action. */
        record Run(int step, int attempt) implements Next {
        }

        /** Record the start of try {@code attempt} of the compensation of step {@code step}, then call it. */
        record Compensate(int step, int attempt) implements Next {
        }

        /** Record these events, nothing else to call. */
        record Record(List<SagaEvent> events) implements Next {
        }

        /** Nothing to do before {@code until}. */
        record Wait(Instant until) implements Next {
        }

        /** Nothing to do: the instance is at rest. */
        record Rest() implements Next {
        }
    }

    private final String sagaId;
    private final List<String> stepNames;
    private final List<Step<?>> steps;
    private String saga;
    private String input;
    private SagaStatus status;
    private long version = -1;
    private String error;
    private final int[] attempts;
    private final boolean[] actionSettled;
    private final boolean[] succeeded;
    private final String[] results;
    private final Instant[] retryAt;
    private final int[] compensationAttempts;
    private final int[] compensationBase;
    private final boolean[] compensationSettled;
    private final boolean[] compensated;
    private final Instant[] compensationRetryAt;
    private final String[] actionNode;
    private final Instant[] actionLease;
    private final String[] compensationNode;
    private final Instant[] compensationLease;
    private final List<SagaEvent> history = new ArrayList<>();

    SagaState(String sagaId, SagaDefinition<?> definition) {
        this.sagaId = sagaId;
        this.steps = List.copyOf(definition.steps());
        this.stepNames = steps.stream().map(Step::name).toList();
        int n = steps.size();
        attempts = new int[n];
        actionSettled = new boolean[n];
        succeeded = new boolean[n];
        results = new String[n];
        retryAt = new Instant[n];
        compensationAttempts = new int[n];
        compensationBase = new int[n];
        compensationSettled = new boolean[n];
        compensated = new boolean[n];
        compensationRetryAt = new Instant[n];
        actionNode = new String[n];
        actionLease = new Instant[n];
        compensationNode = new String[n];
        compensationLease = new Instant[n];
    }

    String sagaId() {
        return sagaId;
    }

    String input() {
        return input;
    }

    long version() {
        return version;
    }

    SagaStatus status() {
        return status;
    }

    String stepName(int step) {
        return stepNames.get(step);
    }

    Optional<String> result(int step) {
        return Optional.ofNullable(results[step]);
    }

    /** The answers of the steps that succeeded, by name, in step order. */
    Map<String, String> results() {
        var all = new LinkedHashMap<String, String>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] != null) {
                all.put(stepNames.get(i), results[i]);
            }
        }
        return all;
    }

    void apply(SagaEvent event, long eventVersion) {
        version = eventVersion;
        history.add(event);
        switch (event) {
            case SagaStarted started -> {
                saga = started.saga();
                input = started.input();
                status = SagaStatus.STARTED;
            }
            case StepStarted(String step, int attempt, String node, Instant lease) -> {
                int i = index(step);
                attempts[i] = attempt;
                actionNode[i] = node;
                actionLease[i] = lease;
                actionSettled[i] = false;
                retryAt[i] = null;
            }
            case StepSucceeded(String step, int attempt, String result) -> {
                int i = index(step);
                actionSettled[i] = true;
                succeeded[i] = true;
                results[i] = result;
            }
            case StepFailed(String step, int attempt, String failure, Instant next) -> {
                int i = index(step);
                actionSettled[i] = true;
                retryAt[i] = next;
                error = step + ": " + failure;
            }
            case SagaFailed failed -> status = SagaStatus.FAILED;
            case CompensationStarted(String step, int attempt, String node, Instant lease) -> {
                int i = index(step);
                status = SagaStatus.COMPENSATING;
                compensationNode[i] = node;
                compensationLease[i] = lease;
                compensationAttempts[i] = attempt;
                compensationSettled[i] = false;
                compensationRetryAt[i] = null;
            }
            case StepCompensated(String step, int attempt) -> {
                int i = index(step);
                compensationSettled[i] = true;
                compensated[i] = true;
            }
            case CompensationFailed(String step, int attempt, String failure, Instant next) -> {
                int i = index(step);
                compensationSettled[i] = true;
                compensationRetryAt[i] = next;
                error = "compensation of " + step + ": " + failure;
            }
            case SagaNeedsAttention attention -> status = SagaStatus.NEEDS_ATTENTION;
            case SagaCompleted completed -> status = SagaStatus.COMPLETED;
            case SagaCompensated done -> status = SagaStatus.COMPENSATED;
            case SagaRetryRequested retry -> {
                status = SagaStatus.COMPENSATING;
                System.arraycopy(compensationAttempts, 0, compensationBase, 0, compensationAttempts.length);
            }
            case SagaResolved resolved -> status = SagaStatus.RESOLVED;
        }
    }

    private int index(String step) {
        int i = stepNames.indexOf(step);
        if (i < 0) {
            throw new IllegalStateException("saga " + sagaId + " records step " + step
                    + ", which its definition " + saga + " does not have");
        }
        return i;
    }

    /**
     * The next move for the engine {@code self}. A try another engine started and still holds
     * the lease of is that engine's: wait for its outcome or for the lease to end.
     */
    Next next(Instant now, String self) {
        if (status == null) {
            return new Next.Rest();
        }
        return switch (status) {
            case STARTED -> nextForward(now, self);
            case FAILED, COMPENSATING -> nextBackward(now, self);
            case COMPLETED, COMPENSATED, NEEDS_ATTENTION, RESOLVED -> new Next.Rest();
        };
    }

    private static boolean heldByAnother(String node, Instant lease, Instant now, String self) {
        return node != null && lease != null && !node.equals(self) && now.isBefore(lease);
    }

    private Next nextForward(Instant now, String self) {
        int i = 0;
        while (i < succeeded.length && succeeded[i]) {
            i++;
        }
        if (i == succeeded.length) {
            return new Next.Record(List.of(new SagaCompleted()));
        }
        int attempt = attempts[i];
        if (attempt == 0) {
            return new Next.Run(i, 1);
        }
        if (!actionSettled[i] && heldByAnother(actionNode[i], actionLease[i], now, self)) {
            return new Next.Wait(actionLease[i]);
        }
        if (!actionSettled[i]) {
            // the process stopped while the action ran: it may have taken effect, so the next try is a retry
            if (steps.get(i).retry().allowsAfter(attempt)) {
                return new Next.Run(i, attempt + 1);
            }
            String failure = "the process stopped during attempt " + attempt + " and no tries are left";
            return new Next.Record(List.of(new StepFailed(stepNames.get(i), attempt, failure, null),
                    new SagaFailed(stepNames.get(i), failure)));
        }
        if (retryAt[i] == null) {
            throw new IllegalStateException("saga " + sagaId + " failed step " + stepNames.get(i) + " for good but is not failed");
        }
        return now.isBefore(retryAt[i]) ? new Next.Wait(retryAt[i]) : new Next.Run(i, attempt + 1);
    }

    private Next nextBackward(Instant now, String self) {
        int j = attempts.length - 1;
        while (j >= 0 && (attempts[j] == 0 || compensated[j])) {
            j--;
        }
        if (j < 0) {
            return new Next.Record(List.of(new SagaCompensated()));
        }
        int attempt = compensationAttempts[j];
        int tries = attempt - compensationBase[j];
        if (tries == 0) {
            return new Next.Compensate(j, attempt + 1);
        }
        if (!compensationSettled[j] && heldByAnother(compensationNode[j], compensationLease[j], now, self)) {
            return new Next.Wait(compensationLease[j]);
        }
        if (!compensationSettled[j]) {
            if (steps.get(j).compensationRetry().allowsAfter(tries)) {
                return new Next.Compensate(j, attempt + 1);
            }
            String failure = "the process stopped during attempt " + attempt + " and no tries are left";
            return new Next.Record(List.of(new CompensationFailed(stepNames.get(j), attempt, failure, null),
                    new SagaNeedsAttention(stepNames.get(j), failure)));
        }
        if (compensationRetryAt[j] == null) {
            throw new IllegalStateException("saga " + sagaId + " failed compensation of " + stepNames.get(j)
                    + " for good but does not need attention");
        }
        return now.isBefore(compensationRetryAt[j]) ? new Next.Wait(compensationRetryAt[j]) : new Next.Compensate(j, attempt + 1);
    }

    /** Tries of the action (or compensation) numbered {@code attempt} of step {@code step} made since the last reset. */
    int compensationTries(int step, int attempt) {
        return attempt - compensationBase[step];
    }

    SagaView view() {
        var stepViews = new ArrayList<SagaView.StepView>();
        for (int i = 0; i < stepNames.size(); i++) {
            stepViews.add(new SagaView.StepView(stepNames.get(i), attempts[i], succeeded[i], Optional.ofNullable(results[i]),
                    compensationAttempts[i], compensated[i]));
        }
        return new SagaView(sagaId, saga, status, version, stepViews, Optional.ofNullable(error), history);
    }
}
