package io.annals.testing;

import io.annals.aggregate.InvalidCommandException;
import io.annals.aggregate.QueryDecider;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.serialization.EventSerializer;
import io.annals.store.EventQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Given/when/then tests for a {@link QueryDecider}, without a store. The given events are the
 * whole history across streams; like the runtime, the fixture folds only those that match the
 * command's query (by their stored type name and their tags), so a query that misses an event
 * the decision needs fails the test:
 * <pre>{@code
 * QueryDeciderFixture.of(new Registration(), serializer)
 *     .given(new UserRegistered("ann", "a@example.com", "Ann"))
 *     .when(new RegisterUser("bob", "a@example.com", "Bob"))
 *     .thenError(UserException.EmailTaken.class);
 * }</pre>
 */
public final class QueryDeciderFixture<C, S, E> {

    private final QueryDecider<C, S, E> decider;
    private final EventSerializer serializer;

    private QueryDeciderFixture(QueryDecider<C, S, E> decider, EventSerializer serializer) {
        this.decider = decider;
        this.serializer = serializer;
    }

    /** @param serializer knows the events' type names and writes their tags, as in the application */
    public static <C, S, E> QueryDeciderFixture<C, S, E> of(QueryDecider<C, S, E> decider, EventSerializer serializer) {
        return new QueryDeciderFixture<>(Objects.requireNonNull(decider, "decider"), Objects.requireNonNull(serializer, "serializer"));
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

        /** The given events that the command's query selects, in order: what its decision sees. */
        public List<E> selectedBy(C command) {
            EventQuery query = decider.query(command);
            var selected = new ArrayList<E>();
            for (E event : history) {
                EventData stored = serializer.serialize(event, Metadata.EMPTY);
                if (query.matches(stored.type(), stored.tags())) {
                    selected.add(event);
                }
            }
            return selected;
        }

        public Outcome<S, E> when(C command) {
            List<E> selected;
            try {
                selected = selectedBy(command);
            } catch (IllegalArgumentException e) {
                return new Outcome<>(List.of(), new InvalidCommandException("query", e.getMessage(), e), decider.initialState());
            } catch (RuntimeException e) {
                // the query may apply the domain's own rules to the command's values, as the runtime lets it
                return new Outcome<>(List.of(), e, decider.initialState());
            }
            return DeciderFixture.of(decider).given(selected).when(command);
        }
    }
}
