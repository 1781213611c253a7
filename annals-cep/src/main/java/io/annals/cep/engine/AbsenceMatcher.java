package io.annals.cep.engine;

import io.annals.cep.CepLimits;
import io.annals.cep.EngineState.PartitionState;
import io.annals.cep.EngineState.RunState;
import io.annals.cep.Match;
import io.annals.cep.Pattern;
import io.annals.cep.Stage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * "A not followed by B within T": per key, the A events still waiting, and one deadline each in
 * a FIFO (events are matched in event-time order and T is fixed, so deadlines arrive in order).
 * A B removes the key's waiting As; a deadline that passes reports its A. The automaton's runs for
 * this pattern are exactly these waiting As, and no skip strategy changes anything: each match
 * is one A, reported in deadline order, and none can start before an earlier one's A.
 */
final class AbsenceMatcher<E, K> implements Matcher<E, K> {

    private static final class Waiting<E, K> {
        final Keyed<E, K> key;
        final E event;
        final long time;
        final long sequence;
        boolean done;

        Waiting(Keyed<E, K> key, E event, long time, long sequence) {
            this.key = key;
            this.event = event;
            this.time = time;
            this.sequence = sequence;
        }
    }

    /** A key's waiting As, oldest first; nearly always one, so it is kept in a field. */
    private static final class Keyed<E, K> {
        final K key;
        Waiting<E, K> only;
        ArrayList<Waiting<E, K>> more;

        Keyed(K key) {
            this.key = key;
        }

        int size() {
            return more != null ? more.size() : only != null ? 1 : 0;
        }

        List<Waiting<E, K>> all() {
            return more != null ? more : only != null ? List.of(only) : List.of();
        }

        void add(Waiting<E, K> waiting) {
            if (more != null) {
                more.add(waiting);
            } else if (only == null) {
                only = waiting;
            } else {
                more = new ArrayList<>(4);
                more.add(only);
                more.add(waiting);
                only = null;
            }
        }

        void remove(Waiting<E, K> waiting) {
            if (more != null) {
                more.remove(waiting);
            } else if (only == waiting) {
                only = null;
            }
        }
    }

    private final String patternName;
    private final Stage<E> first;
    private final Stage<E> absent;
    private final List<String> stageNames;
    private final long window;
    private final CepLimits limits;
    private final ToLongFunction<? super E> eventTime;
    private final MatchSink<E, K> sink;
    private final HashMap<K, Keyed<E, K>> keys = new HashMap<>();
    private final ArrayDeque<Waiting<E, K>> deadlines = new ArrayDeque<>();
    private long waiting;
    private long dropped;

    AbsenceMatcher(Pattern<E> pattern, CepLimits limits, ToLongFunction<? super E> eventTime, MatchSink<E, K> sink) {
        this.patternName = pattern.name();
        this.first = pattern.stages().getFirst();
        this.absent = pattern.stages().getLast();
        this.stageNames = List.of(first.name());
        this.window = pattern.within().toMillis();
        this.limits = limits;
        this.eventTime = eventTime;
        this.sink = sink;
    }

    /** One taking stage of one event, then a negative stage at the end; plain conditions; a window. */
    static boolean fits(Pattern<?> pattern) {
        if (pattern.stages().size() != 2 || pattern.within() == null || !pattern.endsWithAbsence()) {
            return false;
        }
        Stage<?> taking = pattern.stages().getFirst();
        return taking.min() == 1 && taking.max() == 1 && !taking.condition().readsMatchSoFar()
                && !pattern.stages().getLast().condition().readsMatchSoFar();
    }

    @Override
    public boolean isRelevant(E event) {
        return first.type().isInstance(event) || absent.type().isInstance(event);
    }

    @Override
    public void onEvent(E event, K key, long time, long sequence) {
        Keyed<E, K> keyed = keys.get(key);
        if (keyed != null && absent.accepts(event, null)) {
            for (Waiting<E, K> gone : keyed.all()) {
                gone.done = true;
            }
            waiting -= keyed.size();
            keys.remove(key);
            keyed = null;
        }
        if (!first.accepts(event, null)) {
            return;
        }
        if (keyed == null) {
            keyed = new Keyed<>(key);
            keys.put(key, keyed);
        }
        var added = new Waiting<>(keyed, event, time, sequence);
        keyed.add(added);
        deadlines.addLast(added);
        waiting++;
        while (keyed.size() > limits.maxPartialMatchesPerKey()) {
            drop(keyed.all().getFirst());
        }
        while (waiting > limits.maxPartialMatches()) {
            Waiting<E, K> oldest = deadlines.pollFirst();
            if (!oldest.done) {
                drop(oldest);
            }
        }
    }

    private void drop(Waiting<E, K> oldest) {
        finish(oldest);
        dropped++;
    }

    private void finish(Waiting<E, K> done) {
        done.done = true;
        waiting--;
        Keyed<E, K> keyed = done.key;
        keyed.remove(done);
        if (keyed.size() == 0) {
            keys.remove(keyed.key);
        }
    }

    @Override
    public void fireTimersBefore(long time) {
        Waiting<E, K> next;
        while ((next = deadlines.peekFirst()) != null && next.time + window < time) {
            deadlines.pollFirst();
            if (!next.done) {
                finish(next);
                sink.emit(new Match<>(patternName, next.key.key, List.of(next.event), stageNames, next.time, next.time, true));
            }
        }
    }

    @Override
    public void expireIdle(long watermark) {
        // every waiting A leaves through its deadline
    }

    @Override
    public Counts counts() {
        return new Counts(waiting, keys.size(), dropped);
    }

    @Override
    public List<PartitionState<E, K>> snapshot() {
        var states = new ArrayList<PartitionState<E, K>>();
        for (Keyed<E, K> keyed : keys.values()) {
            var runs = keyed.all().stream().map(w -> new RunState<>(List.of(w.event), List.of(w.sequence), List.of(0), 0, 1, 0, 0, true)).toList();
            states.add(new PartitionState<>(keyed.key, keyed.all().getLast().time, runs));
        }
        return states;
    }

    @Override
    public void restore(List<PartitionState<E, K>> states) {
        var all = new ArrayList<Waiting<E, K>>();
        for (PartitionState<E, K> state : states) {
            var keyed = new Keyed<E, K>(state.key());
            for (RunState<E> run : state.runs()) {
                E event = run.events().getFirst();
                var restored = new Waiting<>(keyed, event, eventTime.applyAsLong(event), run.sequences().getFirst());
                keyed.add(restored);
                all.add(restored);
            }
            keys.put(state.key(), keyed);
        }
        all.sort(Comparator.<Waiting<E, K>>comparingLong(w -> w.time).thenComparingLong(w -> w.sequence));
        deadlines.addAll(all);
        waiting = all.size();
    }
}
