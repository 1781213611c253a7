package io.annals.testing;

import io.annals.aggregate.Decider;
import java.util.Arrays;
import java.util.List;

/**
 * Given/when/then tests for a {@link Decider}, without a store:
 * <pre>{@code
 * DeciderFixture.of(new UserDecider())
 *     .given(new UserRegistered(id, "a@example.com", "Ann"))
 *     .when(new ChangeEmail(id, "b@example.com"))
 *     .thenEvents(new UserEmailChanged(id, "a@example.com", "b@example.com"));
 * }</pre>
 */
public final class DeciderFixture<C, S, E> {

    private final Decider<C, S, E> decider;

    private DeciderFixture(Decider<C, S, E> decider) {
        this.decider = decider;
    }

    public static <C, S, E> DeciderFixture<C, S, E> of(Decider<C, S, E> decider) {
        return new DeciderFixture<>(decider);
    }

    @SafeVarargs
    public final Given given(E... history) {
        return given(Arrays.asList(history));
    }

    public Given given(List<? extends E> history) {
        return new Given(List.copyOf(history));
    }

    public Given givenNoPriorEvents() {
        return new Given(List.of());
    }

    public final class Given {
        private final List<E> history;

        private Given(List<E> history) {
            this.history = history;
        }

        public Outcome<S, E> when(C command) {
            S state = decider.fold(history);
            List<E> events;
            try {
                events = List.copyOf(decider.decide(command, state));
            } catch (RuntimeException | Error e) {
                return new Outcome<>(List.of(), e, state);
            }
            return new Outcome<>(events, null, decider.fold(state, events));
        }
    }
}
