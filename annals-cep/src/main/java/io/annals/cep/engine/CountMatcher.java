package io.annals.cep.engine;

import io.annals.cep.CepLimits;
import io.annals.cep.EngineState.PartitionState;
import io.annals.cep.EngineState.RunState;
import io.annals.cep.Match;
import io.annals.cep.Pattern;
import io.annals.cep.SkipStrategy;
import io.annals.cep.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * "N events within T": per key, the last N-1 accepted events in a ring. Under skip till next
 * match, the automaton's runs for this pattern are exactly the ring's suffixes (each accepted
 * event starts one, and each run takes every later accepted event), so the ring gives the same
 * matches with one small array per key and no allocation per event.
 */
final class CountMatcher<E, K> implements Matcher<E, K> {

    private static final class Ring<K> extends Partition<K> {
        final Object[] events;
        final long[] times;
        final long[] sequences;
        int head;
        int size;

        Ring(K key, int capacity) {
            super(key);
            events = new Object[capacity];
            times = new long[capacity];
            sequences = new long[capacity];
        }

        @Override
        int size() {
            return size;
        }

        int slot(int index) {
            int slot = head + index;
            return slot >= events.length ? slot - events.length : slot;
        }

        void dropFirst() {
            events[head] = null;
            head = slot(1);
            size--;
        }

        void add(Object event, long time, long sequence) {
            int slot = slot(size);
            events[slot] = event;
            times[slot] = time;
            sequences[slot] = sequence;
            size++;
        }
    }

    private final String patternName;
    private final String stageName;
    private final Stage<E> stage;
    private final int count;
    private final int capacity;
    private final long window;
    private final SkipStrategy skip;
    private final CepLimits limits;
    private final ToLongFunction<? super E> eventTime;
    private final MatchSink<E, K> sink;
    private final Partitions<K, Ring<K>> partitions = new Partitions<>();
    private final List<String> stageNames;
    private long dropped;

    CountMatcher(Pattern<E> pattern, CepLimits limits, ToLongFunction<? super E> eventTime, MatchSink<E, K> sink) {
        this.patternName = pattern.name();
        this.stage = pattern.stages().getFirst();
        this.stageName = stage.name();
        this.count = stage.min();
        this.capacity = Math.max(1, Math.min(count - 1, limits.maxPartialMatchesPerKey()));
        this.window = pattern.within().toMillis();
        this.skip = pattern.skip();
        this.limits = limits;
        this.eventTime = eventTime;
        this.sink = sink;
        this.stageNames = Collections.nCopies(count, stageName);
    }

    @Override
    public boolean isRelevant(E event) {
        return stage.type().isInstance(event);
    }

    @Override
    public void onEvent(E event, K key, long time, long sequence) {
        if (!stage.accepts(event, null)) {
            return;
        }
        if (count == 1) {
            sink.emit(new Match<>(patternName, key, List.of(event), stageNames, time, time, false));
            return;
        }
        Ring<K> ring = partitions.get(key);
        if (ring == null) {
            ring = new Ring<>(key, capacity);
            partitions.add(ring, time);
        } else {
            partitions.touch(ring, time);
            int before = ring.size;
            while (ring.size > 0 && time - ring.times[ring.head] > window) {
                ring.dropFirst();
            }
            partitions.partialMatches -= before - ring.size;
        }
        if (ring.size == count - 1) {
            emit(ring, event, time);
            if (skip == SkipStrategy.SKIP_PAST_LAST_EVENT) {
                partitions.partialMatches -= ring.size;
                partitions.remove(ring);
                return;
            }
            ring.dropFirst();
            partitions.partialMatches--;
        } else if (ring.size == capacity) {
            ring.dropFirst();
            partitions.partialMatches--;
            dropped++;
        }
        ring.add(event, time, sequence);
        partitions.partialMatches++;
        while (partitions.partialMatches > limits.maxPartialMatches()) {
            Ring<K> oldest = partitions.oldest();
            oldest.dropFirst();
            partitions.partialMatches--;
            dropped++;
            if (oldest.size == 0) {
                partitions.remove(oldest);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void emit(Ring<K> ring, E event, long time) {
        var events = new ArrayList<E>(count);
        for (int i = 0; i < ring.size; i++) {
            events.add((E) ring.events[ring.slot(i)]);
        }
        events.add(event);
        sink.emit(new Match<>(patternName, ring.key, events, stageNames, ring.times[ring.head], time, false));
    }

    @Override
    public void fireTimersBefore(long time) {
        // nothing waits for a window to end
    }

    @Override
    public void expireIdle(long watermark) {
        if (watermark < Long.MIN_VALUE + window) {
            return;
        }
        Ring<K> oldest;
        while ((oldest = partitions.oldest()) != null && oldest.lastActive < watermark - window) {
            partitions.partialMatches -= oldest.size;
            partitions.remove(oldest);
        }
    }

    @Override
    public long partialMatches() {
        return partitions.partialMatches;
    }

    @Override
    public int keys() {
        return partitions.size();
    }

    @Override
    public long droppedPartialMatches() {
        return dropped;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<PartitionState<E, K>> snapshot() {
        var states = new ArrayList<PartitionState<E, K>>();
        for (Ring<K> ring : partitions.inOrder()) {
            var events = new ArrayList<E>();
            var sequences = new ArrayList<Long>();
            for (int i = 0; i < ring.size; i++) {
                events.add((E) ring.events[ring.slot(i)]);
                sequences.add(ring.sequences[ring.slot(i)]);
            }
            var run = new RunState<>(events, sequences, Collections.nCopies(events.size(), 0), 0, events.size(), 1, 0, false);
            states.add(new PartitionState<>(ring.key, ring.lastActive, List.of(run)));
        }
        return states;
    }

    @Override
    public void restore(List<PartitionState<E, K>> states) {
        for (PartitionState<E, K> state : states) {
            var ring = new Ring<K>(state.key(), capacity);
            for (RunState<E> run : state.runs()) {
                for (int i = 0; i < run.events().size(); i++) {
                    E event = run.events().get(i);
                    ring.add(event, eventTime.applyAsLong(event), run.sequences().get(i));
                }
            }
            partitions.add(ring, state.lastActive());
            partitions.partialMatches += ring.size;
        }
    }
}
