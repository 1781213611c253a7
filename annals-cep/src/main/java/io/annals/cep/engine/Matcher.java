package io.annals.cep.engine;

import io.annals.cep.EngineState.PartitionState;
import java.util.List;

/**
 * The per-key matching state of one pattern, fed events in event-time order. Internal to the
 * engine: use {@link io.annals.cep.CepEngine}.
 */
public interface Matcher<E, K> {

    /** Whether the event can change any state; events that cannot are not buffered or keyed. */
    boolean isRelevant(E event);

    /** One event, in event-time order; {@code sequence} increases with every call. */
    void onEvent(E event, K key, long time, long sequence);

    /** Completes the absences whose window ended before {@code time}. */
    void fireTimersBefore(long time);

    /** Drops the keys whose every partial match has expired at this watermark. */
    void expireIdle(long watermark);

    /** What the matcher holds now, and what its caps have dropped so far. */
    record Counts(long partialMatches, long keys, long droppedPartialMatches) {
    }

    Counts counts();

    List<PartitionState<E, K>> snapshot();

    void restore(List<PartitionState<E, K>> partitions);
}
