package io.annals.cep;

import io.annals.cep.engine.Matcher;
import io.annals.cep.engine.Matchers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Matches one pattern over a stream of events, per partition key, in event time.
 *
 * <p><b>Time.</b> Each event's time comes from the event. The watermark is the largest event time
 * seen minus the allowed lateness (or later, when {@link #advanceWatermark} moves it). An event
 * older than the watermark is late: it is counted and given to the late handler, never matched.
 * Other events are held until the watermark reaches them and then matched in event-time order
 * (ties in arrival order), so events out of order within the lateness match as if in order.
 * Windows end, and absences are reported, when the watermark passes them, whether or not more
 * events arrive: a runtime moves the watermark with its clock when the input is idle.
 *
 * <p><b>Threads.</b> Not thread-safe: one thread feeds it, or callers lock around it. Matches and
 * late events are handed to the callbacks on the calling thread.
 */
public final class CepEngine<E, K> {

    private record Held<E>(E event, long time, long arrival) {
    }

    private final Pattern<E> pattern;
    private final Function<? super E, ? extends K> keyOf;
    private final ToLongFunction<? super E> eventTime;
    private final long lateness;
    private final Consumer<? super E> lateHandler;
    private final Matcher<E, K> matcher;
    private final PriorityQueue<Held<E>> held = new PriorityQueue<>((a, b) -> {
        int byTime = Long.compare(a.time(), b.time());
        return byTime != 0 ? byTime : Long.compare(a.arrival(), b.arrival());
    });
    private long watermark = Long.MIN_VALUE;
    private long maxEventTime = Long.MIN_VALUE;
    private long arrivals;
    private long sequence;
    private long events;
    private long lateEvents;
    private long matches;
    /** Partial matches dropped before the snapshot this engine was restored from. */
    private long droppedBefore;

    private CepEngine(Builder<E, K> builder) {
        this.pattern = builder.pattern;
        this.keyOf = builder.keyOf;
        this.eventTime = builder.eventTime;
        this.lateness = builder.lateness.toMillis();
        this.lateHandler = builder.lateHandler;
        Consumer<? super Match<E, K>> listener = builder.listener;
        this.matcher = Matchers.compile(pattern, builder.limits, eventTime, match -> {
            matches++;
            listener.accept(match);
        });
    }

    /**
     * @param keyOf     the partition key of an event (user id, stream id, a tag)
     * @param eventTime the event's time, epoch milliseconds
     */
    public static <E, K> Builder<E, K> builder(Pattern<E> pattern, Function<? super E, ? extends K> keyOf,
                                               ToLongFunction<? super E> eventTime) {
        return new Builder<>(pattern, keyOf, eventTime);
    }

    public Pattern<E> pattern() {
        return pattern;
    }

    /** Takes one event: matches it, holds it until the watermark reaches it, or hands it to the late handler. */
    public void process(E event) {
        long time = eventTime.applyAsLong(event);
        if (time < watermark) {
            lateEvents++;
            lateHandler.accept(event);
            return;
        }
        if (time > maxEventTime) {
            maxEventTime = time;
            long candidate = time - lateness;
            if (candidate > watermark) {
                watermark = candidate;
            }
        }
        if (matcher.isRelevant(event)) {
            if (held.isEmpty() && time <= watermark) {
                matchInOrder(event, time);
            } else {
                held.add(new Held<>(event, time, arrivals++));
                releaseHeld();
            }
        } else if (!held.isEmpty()) {
            releaseHeld();
        }
        matcher.fireTimersBefore(watermark);
        matcher.expireIdle(watermark);
    }

    /**
     * Moves the watermark to {@code eventTime} when that is later: events before it count as
     * late from now on, and the windows and absences it passes complete. A runtime calls this
     * from its clock so that timeouts fire without further events; {@link Long#MAX_VALUE} ends
     * every window.
     */
    public void advanceWatermark(long eventTime) {
        if (eventTime <= watermark) {
            return;
        }
        watermark = eventTime;
        releaseHeld();
        matcher.fireTimersBefore(watermark);
        matcher.expireIdle(watermark);
    }

    public long watermark() {
        return watermark;
    }

    public CepMetrics metrics() {
        Matcher.Counts counts = matcher.counts();
        return new CepMetrics(events, lateEvents, matches, counts.partialMatches(), counts.keys(),
                droppedBefore + counts.droppedPartialMatches(), held.size(), watermark);
    }

    /** The engine's whole state, to restore with {@link #restore} into an engine of the same pattern. */
    public EngineState<E, K> snapshot() {
        var buffered = new ArrayList<>(held);
        buffered.sort(held.comparator());
        return new EngineState<>(watermark, maxEventTime, sequence,
                new EngineState.Counters(events, lateEvents, matches, droppedBefore + matcher.counts().droppedPartialMatches()),
                buffered.stream().map(Held::event).toList(), matcher.snapshot());
    }

    /** Loads a snapshot into this engine, which must not have processed anything yet. */
    public void restore(EngineState<E, K> state) {
        if (events > 0 || lateEvents > 0 || !held.isEmpty() || matcher.counts().keys() > 0) {
            throw new IllegalStateException("restore into a fresh engine only");
        }
        watermark = state.watermark();
        maxEventTime = state.maxEventTime();
        sequence = state.nextSequence();
        events = state.counters().events();
        lateEvents = state.counters().lateEvents();
        matches = state.counters().matches();
        droppedBefore = state.counters().droppedPartialMatches();
        for (E event : state.buffered()) {
            held.add(new Held<>(event, eventTime.applyAsLong(event), arrivals++));
        }
        matcher.restore(state.partitions());
    }

    private void releaseHeld() {
        Held<E> next;
        while ((next = held.peek()) != null && next.time() <= watermark) {
            held.poll();
            matchInOrder(next.event(), next.time());
        }
    }

    private void matchInOrder(E event, long time) {
        matcher.fireTimersBefore(time);
        events++;
        matcher.onEvent(event, keyOf.apply(event), time, sequence++);
    }

    public static final class Builder<E, K> {
        private final Pattern<E> pattern;
        private final Function<? super E, ? extends K> keyOf;
        private final ToLongFunction<? super E> eventTime;
        private Duration lateness = Duration.ZERO;
        private CepLimits limits = CepLimits.DEFAULT;
        private Consumer<? super Match<E, K>> listener = match -> {
        };
        private Consumer<? super E> lateHandler = event -> {
        };

        private Builder(Pattern<E> pattern, Function<? super E, ? extends K> keyOf, ToLongFunction<? super E> eventTime) {
            this.pattern = Objects.requireNonNull(pattern, "pattern");
            this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
            this.eventTime = Objects.requireNonNull(eventTime, "eventTime");
        }

        /** How far behind the latest event time an event may arrive and still be matched in order. */
        public Builder<E, K> allowedLateness(Duration allowed) {
            if (allowed.isNegative()) {
                throw new IllegalArgumentException("allowed lateness must not be negative");
            }
            this.lateness = allowed;
            return this;
        }

        public Builder<E, K> limits(CepLimits caps) {
            this.limits = Objects.requireNonNull(caps, "limits");
            return this;
        }

        public Builder<E, K> onMatch(Consumer<? super Match<E, K>> onMatch) {
            this.listener = Objects.requireNonNull(onMatch, "onMatch");
            return this;
        }

        /** Receives every late event; they are counted in {@link CepMetrics#lateEvents()} as well. */
        public Builder<E, K> onLate(Consumer<? super E> onLate) {
            this.lateHandler = Objects.requireNonNull(onLate, "onLate");
            return this;
        }

        public CepEngine<E, K> build() {
            return new CepEngine<>(this);
        }
    }
}
