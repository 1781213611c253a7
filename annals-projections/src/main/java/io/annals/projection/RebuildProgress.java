package io.annals.projection;

import java.time.Duration;
import java.util.Optional;

/**
 * How far a rebuild has come.
 *
 * @param eventsDone  events applied to the new tables
 * @param eventsLeft  selected events still to apply, counted up to {@link ProjectionRuntime#LAG_CAP}
 * @param timeLeft    at the current rate, when it has one
 */
public record RebuildProgress(long eventsDone, double eventsPerSecond, long eventsLeft, Optional<Duration> timeLeft) {
}
