package io.annals.kafka;

import io.annals.event.Position;
import java.time.Duration;
import java.util.Optional;

/**
 * What a relay reports about itself.
 *
 * @param leader          whether this instance is the one publishing the store
 * @param checkpoint      the last position committed to Kafka by this instance, if any
 * @param publishedEvents events this instance committed to Kafka since it started
 * @param pendingEvents   events read from the store and not yet committed to Kafka
 * @param lag             how long ago the oldest of those was recorded; zero when none is pending
 */
public record RelayStatus(boolean leader, Optional<Position> checkpoint, long publishedEvents, int pendingEvents,
                          Duration lag) {
}
