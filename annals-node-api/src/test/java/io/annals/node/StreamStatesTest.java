package io.annals.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.aggregate.Decider;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamStatesTest {

    sealed interface CounterEvent permits Added {
    }

    record Added(int amount) implements CounterEvent {
    }

    record Total(int sum, int additions) {
    }

    /** Sums what is added; decides nothing. */
    static final class Counter implements Decider<Void, Total, CounterEvent> {
        @Override
        public Total initialState() {
            return new Total(0, 0);
        }

        @Override
        public List<CounterEvent> decide(Void command, Total state) {
            return List.of();
        }

        @Override
        public Total evolve(Total state, CounterEvent event) {
            return switch (event) {
                case Added added -> new Total(state.sum() + added.amount(), state.additions() + 1);
            };
        }
    }

    private static RecordedEvent event(long version, String type, String data) {
        Instant at = Instant.parse("2026-12-07T12:00:00Z");
        return new RecordedEvent(StreamId.of("counter-1"), version, new Position(version + 1, 0), UUID.randomUUID(), type, data,
                Metadata.EMPTY, at, at);
    }

    private final StreamStates states = new StreamStates();
    private final EventSerializer serializer = new EventSerializer(new EventTypeRegistry().registerSealed(CounterEvent.class));

    @Test
    void foldsTheStreamsOfARegisteredCategoryWithItsDecider() {
        states.register("counter", new Counter(), CounterEvent.class, serializer);

        StreamStates.Fold fold = states.forStream(StreamId.of("counter-1")).orElseThrow();
        assertThat(fold.name()).isEqualTo(Counter.class.getName());
        var folded = fold.states(List.of(event(0, "Added", "{\"amount\":2}"), event(1, "Added", "{\"amount\":5}")));
        assertThat(folded).extracting(Object::toString)
                .containsExactly("{\"sum\":2,\"additions\":1}", "{\"sum\":7,\"additions\":2}");

        assertThat(states.forStream(StreamId.of("order-1"))).isEmpty();
        assertThat(states.forStream(StreamId.of("counter"))).as("the category is the part before the first -").isPresent();
    }

    @Test
    void anEventTheDecidersTypesDoNotKnowNamesItsVersion() {
        states.register("counter", new Counter(), CounterEvent.class, serializer);
        StreamStates.Fold fold = states.forStream(StreamId.of("counter-1")).orElseThrow();
        assertThatThrownBy(() -> fold.states(List.of(event(0, "Added", "{\"amount\":2}"), event(1, "Reset", "{}"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 1 (Reset)");
    }

    @Test
    void aCategoryHasOneFold() {
        states.register("counter", new Counter(), CounterEvent.class, serializer);
        assertThatThrownBy(() -> states.register("counter", new Counter(), CounterEvent.class, serializer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("counter");
    }
}
