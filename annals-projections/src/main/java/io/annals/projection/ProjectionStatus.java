package io.annals.projection;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A projection as this runtime sees it.
 *
 * @param lagEvents  selected events recorded after the checkpoints, counted up to {@link ProjectionRuntime#LAG_CAP}
 * @param lag        how long the oldest of them has been waiting; zero when there are none
 * @param rebuild    progress of a rebuild under way
 */
public record ProjectionStatus(String name, ProjectionState state, List<PartitionStatus> partitions,
                               long eventsHandled, double eventsPerSecond, long errors, long lagEvents, Duration lag,
                               Optional<RebuildProgress> rebuild) {
}
