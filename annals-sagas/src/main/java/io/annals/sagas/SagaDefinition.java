package io.annals.sagas;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * An orchestrated saga: its steps run in order; when one fails for good, every step that was
 * started is compensated, the last first.
 *
 * @param name      recorded with each instance, so that an engine knows which definition resumes it
 * @param inputType the class of the input, stored as JSON when an instance starts
 */
public record SagaDefinition<I>(String name, Class<I> inputType, List<Step<I>> steps) {

    public SagaDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputType, "inputType");
        steps = List.copyOf(steps);
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("saga name must be 1 to 100 non-blank characters");
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a saga has at least one step");
        }
        var names = new HashSet<String>();
        for (Step<I> step : steps) {
            if (!names.add(step.name())) {
                throw new IllegalArgumentException("step " + step.name() + " appears twice in saga " + name);
            }
        }
    }

    @SafeVarargs
    public static <I> SagaDefinition<I> of(String name, Class<I> inputType, Step<I>... steps) {
        return new SagaDefinition<>(name, inputType, List.of(steps));
    }
}
