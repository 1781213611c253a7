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
 * matches with two small arrays per key and no allocation per event. Matches here never need
 * ordering among themselves (one completes per event), so no sequence numbers are kept.
 */
final class CountMatcher<E, K> implements Matcher<E, K> {

    /** The last accepted events of a key, oldest first. */
    private abstract static sealed class Ring<K> extends Partition<K> permits Pair, Circle {
        int size;

        Ring(K key) {
            super(key);
        }

        @Override
        int size() {
            return size;
        }

        abstract long firstTime();

        abstract Object event(int index);

        abstract void dropFirst();

        abstract void add(Object event, long time);
    }

    /** Up to two events in fields: the ring of "3 within T" costs one object, not three. */
    private static final class Pair<K> extends Ring<K> {
        Object firstEvent;
        Object secondEvent;
        long first;
        long second;

        Pair(K key) {
            super(key);
        }

        @Override
        long firstTime() {
            return first;
        }

        @Override
        Object event(int index) {
            return index == 0 ? firstEvent : secondEvent;
        }

        @Override
        void dropFirst() {
            firstEvent = secondEvent;
            first = second;
            secondEvent = null;
            size--;
        }

        @Override
        void add(Object event, long time) {
            if (size == 0) {
                firstEvent = event;
                first = time;
            } else {
                secondEvent = event;
                second = time;
            }
            size++;
        }
    }

    private static final class Circle<K> extends Ring<K> {
        final Object[] events;
        final long[] times;
        int head;

        Circle(K key, int capacity) {
            super(key);
            events = new Object[capacity];
            times = new long[capacity];
        }

        int slot(int index) {
            int slot = head + index;
            return slot >= events.length ? slot - events.length : slot;
        }

        @Override
        long firstTime() {
            return times[head];
        }

        @Override
        Object event(int index) {
            return events[slot(index)];
        }

        @Override
        void dropFirst() {
            events[head] = null;
            head = slot(1);
            size--;
        }

        @Override
        void add(Object event, long time) {
            int slot = slot(size);
            events[slot] = event;
            times[slot] = time;
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
            ring = newRing(key);
            partitions.add(ring, time);
        } else {
            partitions.touch(ring, time);
            int before = ring.size;
            while (ring.size > 0 && time - ring.firstTime() > window) {
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
        ring.add(event, time);
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
            events.add((E) ring.event(i));
        }
        events.add(event);
        sink.emit(new Match<>(patternName, ring.key, events, stageNames, ring.firstTime(), time, false));
    }

    private Ring<K> newRing(K key) {
        return capacity <= 2 ? new Pair<>(key) : new Circle<>(key, capacity);
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
        partitions.expireBefore(watermark - window, ring -> partitions.partialMatches -= ring.size);
    }

    @Override
    public Counts counts() {
        return new Counts(partitions.partialMatches, partitions.size(), dropped);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<PartitionState<E, K>> snapshot() {
        var states = new ArrayList<PartitionState<E, K>>();
        for (Ring<K> ring : partitions.inOrder()) {
            var events = new ArrayList<E>();
            var sequences = new ArrayList<Long>();
            for (int i = 0; i < ring.size; i++) {
                events.add((E) ring.event(i));
                sequences.add(0L);
            }
            var run = new RunState<>(events, sequences, Collections.nCopies(events.size(), 0), 0, events.size(), 1, 0, false);
            states.add(new PartitionState<>(ring.key, ring.lastActive, List.of(run)));
        }
        return states;
    }

    @Override
    public void restore(List<PartitionState<E, K>> states) {
        for (PartitionState<E, K> state : states) {
            Ring<K> ring = newRing(state.key());
            for (RunState<E> run : state.runs()) {
                for (int i = 0; i < run.events().size(); i++) {
                    E event = run.events().get(i);
                    ring.add(event, eventTime.applyAsLong(event));
                }
            }
            partitions.add(ring, state.lastActive());
            partitions.partialMatches += ring.size;
        }
    }
}
