package io.annals.projection;

import io.annals.event.Position;
import java.time.Instant;
import java.util.Optional;

/**
 * One partition as this runtime sees it, with the checkpoint as stored (whichever runtime holds it).
 *
 * @param held           whether this runtime holds the partition's lease
 * @param fence          the fencing token of that lease
 * @param lastRecordedAt when the last event it applied was recorded
 */
public record PartitionStatus(int partition, ProjectionState state, Position checkpoint, boolean held, long fence,
                              long eventsHandled, long errors, Optional<String> lastError,
                              Optional<Instant> lastRecordedAt) {

    PartitionStatus withCheckpoint(Position stored) {
        return new PartitionStatus(partition, state, stored, held, fence, eventsHandled, errors, lastError, lastRecordedAt);
    }
}
