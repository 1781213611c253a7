package io.annals.sagas;

import io.annals.event.Position;
import io.annals.store.inmemory.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamCheckpointStoreTest {

    @Test
    void keepsTheLastPositionSavedPerConsumer() {
        try (var store = new InMemoryEventStore()) {
            var checkpoints = new StreamCheckpointStore(store);
            assertThat(checkpoints.load("pm.a")).isEmpty();
            checkpoints.save("pm.a", new Position(7, 42));
            checkpoints.save("pm.a", new Position(8, 3));
            checkpoints.save("pm.b", Position.of(1));
            assertThat(checkpoints.load("pm.a")).contains(new Position(8, 3));
            assertThat(checkpoints.load("pm.b")).contains(Position.of(1));
            assertThatThrownBy(() -> checkpoints.load("bad name")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
