package io.annals.sagas;

import io.annals.event.Position;
import java.util.Optional;

/**
 * Where a consumer of the global order (a process manager, an outbox relay) keeps how far it
 * got. One small interface, so that the projection runtime's checkpoints can take its place.
 */
public interface CheckpointStore {

    /** The position of the last event the consumer handled, empty when it never saved one. */
    Optional<Position> load(String consumer);

    void save(String consumer, Position position);
}
