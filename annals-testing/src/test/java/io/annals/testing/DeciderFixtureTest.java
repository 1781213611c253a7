package io.annals.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.aggregate.Decider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixture must fail loudly when an expectation does not hold, or it proves nothing. */
class DeciderFixtureTest {

    sealed interface CounterEvent {
        record Added(int amount) implements CounterEvent {
        }
    }

    record Add(int amount) {
    }

    static final class Counter implements Decider<Add, Integer, CounterEvent> {
        @Override
        public Integer initialState() {
            return 0;
        }

        @Override
        public List<CounterEvent> decide(Add command, Integer state) {
            if (command.amount() < 0) {
                throw new IllegalArgumentException("negative");
            }
            return command.amount() == 0 ? List.of() : List.of(new CounterEvent.Added(command.amount()));
        }

        @Override
        public Integer evolve(Integer state, CounterEvent event) {
            return switch (event) {
                case CounterEvent.Added added -> state + added.amount();
            };
        }
    }

    private final DeciderFixture<Add, Integer, CounterEvent> counter = DeciderFixture.of(new Counter());

    @Test
    void passesWhenEventsAndStateMatch() {
        counter.given(new CounterEvent.Added(2)).when(new Add(3)).thenEvents(new CounterEvent.Added(3)).thenState(5);
    }

    @Test
    void failsWhenTheEventsDiffer() {
        assertThatThrownBy(() -> counter.givenNoPriorEvents().when(new Add(3)).thenEvents(new CounterEvent.Added(4)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Added[amount=4]").hasMessageContaining("Added[amount=3]");
    }

    @Test
    void failsWhenEventsWereExpectedButTheCommandThrew() {
        assertThatThrownBy(() -> counter.givenNoPriorEvents().when(new Add(-1)).thenNoEvents())
                .isInstanceOf(AssertionError.class).hasMessageContaining("negative");
    }

    @Test
    void failsWhenAnErrorWasExpectedButTheCommandSucceeded() {
        assertThatThrownBy(() -> counter.givenNoPriorEvents().when(new Add(1)).thenError(IllegalArgumentException.class))
                .isInstanceOf(AssertionError.class).hasMessageContaining("succeeded");
    }

    @Test
    void failsWhenTheErrorHasAnotherType() {
        assertThatThrownBy(() -> counter.givenNoPriorEvents().when(new Add(-1)).thenError(IllegalStateException.class))
                .isInstanceOf(AssertionError.class).hasMessageContaining("IllegalStateException");
    }

    @Test
    void failsWhenTheStateDiffers() {
        assertThatThrownBy(() -> counter.given(new CounterEvent.Added(1)).when(new Add(0)).thenNoEvents().thenState(2))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected state");
    }
}
