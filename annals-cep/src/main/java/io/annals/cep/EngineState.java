package io.annals.cep;

import java.util.List;

/**
 * Everything an engine holds, as plain data, to checkpoint and restore it. Events appear as they
 * were given to the engine; a checkpoint stores references to them (see
 * {@link io.annals.cep.store.CepProcessor}).
 */
public record EngineState<E, K>(long watermark, long maxEventTime, long nextSequence, Counters counters,
                                List<E> buffered, List<PartitionState<E, K>> partitions) {

    public EngineState {
        buffered = List.copyOf(buffered);
        partitions = List.copyOf(partitions);
    }

    /** The running totals of {@link CepMetrics}. */
    public record Counters(long events, long lateEvents, long matches, long droppedPartialMatches) {
    }

    /** One key's partial matches, in the order the engine keeps them. */
    public record PartitionState<E, K>(K key, long lastActive, List<RunState<E>> runs) {
        public PartitionState {
            runs = List.copyOf(runs);
        }
    }

    /**
     * One partial match.
     *
     * @param sequences the processing sequence of each event (orders matches)
     * @param stages    the index among the pattern's taking stages of each event
     * @param stage     the stage of the last event
     * @param count     how many events that stage has taken
     * @param mask      the stages that may take the next event, as bits
     * @param gap       events passed over since the last one taken
     * @param waiting   whether it is complete and waits for its window to end (an absence)
     */
    public record RunState<E>(List<E> events, List<Long> sequences, List<Integer> stages, int stage, int count,
                              int mask, int gap, boolean waiting) {
        public RunState {
            events = List.copyOf(events);
            sequences = List.copyOf(sequences);
            stages = List.copyOf(stages);
        }
    }
}
