package io.annals.testing;

import io.annals.aggregate.AggregateRoot;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Given/when/then tests for an {@link AggregateRoot}, without a store:
 * <pre>{@code
 * AggregateRootFixture.of(User::new)
 *     .given(new UserRegistered(id, "a@example.com", "Ann"))
 *     .when(user -> user.changeEmail("b@example.com"))
 *     .thenEvents(new UserEmailChanged(id, "a@example.com", "b@example.com"));
 * }</pre>
 */
public final class AggregateRootFixture<A extends AggregateRoot<E>, E> {

    private final Supplier<A> factory;

    private AggregateRootFixture(Supplier<A> factory) {
        this.factory = factory;
    }

    public static <A extends AggregateRoot<E>, E> AggregateRootFixture<A, E> of(Supplier<A> factory) {
        return new AggregateRootFixture<>(factory);
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

        public Outcome<A, E> when(Consumer<? super A> action) {
            A aggregate = factory.get();
            aggregate.loadFromHistory(history);
            try {
                action.accept(aggregate);
            } catch (RuntimeException | Error e) {
                return new Outcome<>(List.of(), e, aggregate);
            }
            return new Outcome<>(aggregate.uncommittedEvents(), null, aggregate);
        }
    }
}
