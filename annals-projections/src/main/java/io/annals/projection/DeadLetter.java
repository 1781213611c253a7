package io.annals.projection;

import io.annals.event.Position;
import io.annals.event.StreamId;
import java.time.Instant;
import java.util.UUID;

/**
 * An event a projection parked after its last retry failed.
 *
 * @param generation the generation of the projection's tables it was parked by (a rebuild writes the next)
 * @param blocking whether its partition is stopped before it ({@link OnFailure#STOP}) until it is
 *                 retried or discarded
 */
public record DeadLetter(long id, String projection, int generation, int partition, UUID eventId, StreamId streamId, long version,
                         Position position, String eventType, String error, int attempts, boolean blocking,
                         Instant parkedAt) {
}
