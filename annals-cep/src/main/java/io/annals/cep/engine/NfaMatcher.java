package io.annals.cep.engine;

import io.annals.cep.CepLimits;
import io.annals.cep.Contiguity;
import io.annals.cep.EngineState.PartitionState;
import io.annals.cep.EngineState.RunState;
import io.annals.cep.Match;
import io.annals.cep.MatchSoFar;
import io.annals.cep.Pattern;
import io.annals.cep.SkipStrategy;
import io.annals.cep.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The general automaton. A run sits after some event of stage {@code j}, having taken
 * {@code count} events for it; {@code mask} holds the stages that may take its next event (another
 * of {@code j}, or a later stage reached over optional ones). An event not taken narrows the mask:
 * it removes the stages whose condition it satisfies (skip till next match), the strict stages,
 * and the stages beyond a negative stage it violates. A run whose mask empties dies.
 */
final class NfaMatcher<E, K> implements Matcher<E, K> {

    private static final MatchSoFar<Object> NOTHING_YET = new MatchSoFar<>() {
        @Override
        public List<Object> events() {
            return List.of();
        }

        @Override
        public List<Object> events(String stage) {
            return List.of();
        }
    };

    private static final class NfaPartition<E, K> extends Partition<K> {
        ArrayList<Run<E>> runs = new ArrayList<>(4);

        NfaPartition(K key) {
            super(key);
        }

        @Override
        int size() {
            return runs.size();
        }
    }

    private record Timer<E, K>(long deadline, NfaPartition<E, K> partition, Run<E> run) {
    }

    private final String patternName;
    private final List<Stage<E>> taking;
    private final String[] names;
    private final int[] min;
    private final int[] max;
    private final int strictMask;
    /** Negative stages between taking stage g and g + 1 (the last entry: after the last stage). */
    private final List<List<Stage<E>>> notNext;
    private final List<List<Stage<E>>> notFollowedBy;
    private final boolean hasNegatives;
    private final boolean endsWithAbsence;
    /** Whether every taking stage after index j is optional. */
    private final boolean[] restOptional;
    private final List<Class<?>> types;
    private final boolean everyEventRelevant;
    private final long window;
    private final SkipStrategy skip;
    private final CepLimits limits;
    private final ToLongFunction<? super E> eventTime;
    private final MatchSink<E, K> sink;
    private final Partitions<K, NfaPartition<E, K>> partitions = new Partitions<>();
    private final TimerQueue<Timer<E, K>> timers = new TimerQueue<>((a, b) -> {
        int byDeadline = Long.compare(a.deadline(), b.deadline());
        return byDeadline != 0 ? byDeadline : Run.compareMatches(a.run(), b.run());
    });
    private long dropped;
    private ArrayList<Run<E>> scratch = new ArrayList<>(4);
    private final ArrayList<Run<E>> completed = new ArrayList<>(2);

    NfaMatcher(Pattern<E> pattern, CepLimits limits, ToLongFunction<? super E> eventTime, MatchSink<E, K> sink) {
        this.patternName = pattern.name();
        this.taking = pattern.takingStages();
        int stages = taking.size();
        this.names = taking.stream().map(Stage::name).toArray(String[]::new);
        this.min = taking.stream().mapToInt(Stage::min).toArray();
        this.max = taking.stream().mapToInt(Stage::max).toArray();
        int strict = 0;
        for (int i = 0; i < stages; i++) {
            if (taking.get(i).contiguity() == Contiguity.STRICT) {
                strict |= 1 << i;
            }
        }
        this.strictMask = strict;
        this.notNext = new ArrayList<>();
        this.notFollowedBy = new ArrayList<>();
        for (int i = 0; i < stages; i++) {
            notNext.add(new ArrayList<>());
            notFollowedBy.add(new ArrayList<>());
        }
        int gap = -1;
        for (Stage<E> stage : pattern.stages()) {
            switch (stage.kind()) {
                case TAKE -> gap++;
                case NOT_NEXT -> notNext.get(gap).add(stage);
                case NOT_FOLLOWED_BY -> notFollowedBy.get(gap).add(stage);
            }
        }
        this.hasNegatives = pattern.stages().stream().anyMatch(Stage::isNegative);
        this.endsWithAbsence = pattern.endsWithAbsence();
        this.restOptional = new boolean[stages];
        boolean optional = true;
        for (int i = stages - 1; i >= 0; i--) {
            restOptional[i] = optional;
            optional &= min[i] == 0;
        }
        this.types = pattern.stages().stream().<Class<?>>map(Stage::type).distinct().toList();
        this.everyEventRelevant = strict != 0 || pattern.stages().stream().anyMatch(s -> s.kind() == Stage.Kind.NOT_NEXT);
        this.window = pattern.within() == null ? Long.MAX_VALUE : pattern.within().toMillis();
        this.skip = pattern.skip();
        this.limits = limits;
        this.eventTime = eventTime;
        this.sink = sink;
    }

    @Override
    public boolean isRelevant(E event) {
        if (everyEventRelevant) {
            return true;
        }
        for (Class<?> type : types) {
            if (type.isInstance(event)) {
                return true;
            }
        }
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onEvent(E event, K key, long time, long sequence) {
        NfaPartition<E, K> partition = partitions.get(key);
        boolean starts = taking.getFirst().accepts(event, (MatchSoFar<E>) NOTHING_YET);
        if (partition == null) {
            if (!starts) {
                return;
            }
            partition = new NfaPartition<>(key);
            partitions.add(partition, time);
        } else {
            partitions.touch(partition, time);
        }
        ArrayList<Run<E>> runs = partition.runs;
        int before = runs.size();
        ArrayList<Run<E>> next = scratch;
        next.clear();
        completed.clear();
        for (Run<E> run : runs) {
            if (time - run.startTime > window) {
                run.dead = true;
            } else if (run.waiting) {
                if (violatesAbsence(event, run)) {
                    run.dead = true;
                } else {
                    next.add(run);
                }
            } else {
                advance(run, event, time, sequence, partition, next);
            }
        }
        if (starts) {
            var node = new Run.Node<>(event, time, sequence, 0, null);
            adopt(new Run<>(names, node, 1, 0, 1, time, sequence, false, candidates(0, 1), 0), partition, next);
        }
        scratch = runs;
        partition.runs = next;
        if (!completed.isEmpty()) {
            emitCompleted(partition);
        }
        enforceKeyLimit(partition);
        partitions.partialMatches += partition.runs.size() - before;
        if (partition.runs.isEmpty()) {
            partitions.remove(partition);
        }
        enforceTotalLimit();
    }

    private void advance(Run<E> run, E event, long time, long sequence, NfaPartition<E, K> partition, ArrayList<Run<E>> next) {
        int mask = run.mask;
        int keep = mask & ~strictMask;
        for (int candidates = mask; candidates != 0; candidates &= candidates - 1) {
            int stage = Integer.numberOfTrailingZeros(candidates);
            if (!taking.get(stage).accepts(event, run)) {
                continue;
            }
            keep &= ~(1 << stage);
            if (run.gap == 0 && stage > run.stage && firstGapViolated(run, event, stage, true, false) >= 0) {
                continue;
            }
            int count = stage == run.stage ? run.count + 1 : 1;
            adopt(run.take(stage, event, time, sequence, candidates(stage, count)), partition, next);
        }
        if (keep != 0 && hasNegatives) {
            int violated = firstGapViolated(run, event, 31, run.gap == 0, true);
            if (violated >= 0) {
                keep &= (1 << (violated + 1)) - 1;
            }
        }
        if (keep != 0) {
            run.mask = keep;
            run.gap++;
            next.add(run);
        } else {
            run.dead = true;
        }
    }

    /**
     * The first gap between the run's stage and {@code beyond} whose negative stage the event
     * violates, or -1. notNext counts only for the event right after the run's last one.
     */
    private int firstGapViolated(Run<E> run, E event, int beyond, boolean immediate, boolean between) {
        int last = Math.min(beyond, taking.size() - 1);
        for (int gap = run.stage; gap < last; gap++) {
            if (immediate && anyAccepts(notNext.get(gap), event, run) || between && anyAccepts(notFollowedBy.get(gap), event, run)) {
                return gap;
            }
        }
        return -1;
    }

    private boolean violatesAbsence(E event, Run<E> run) {
        return anyAccepts(notFollowedBy.getLast(), event, run);
    }

    private static <E> boolean anyAccepts(List<Stage<E>> stages, E event, MatchSoFar<E> soFar) {
        for (Stage<E> stage : stages) {
            if (stage.accepts(event, soFar)) {
                return true;
            }
        }
        return false;
    }

    /** A run that just took an event: complete it, make it wait for its window, keep it going. */
    private void adopt(Run<E> run, NfaPartition<E, K> partition, ArrayList<Run<E>> next) {
        if (run.count >= min[run.stage] && restOptional[run.stage]) {
            if (endsWithAbsence) {
                Run<E> waiting = run.waitingCopy();
                next.add(waiting);
                timers.add(new Timer<>(run.startTime + window, partition, waiting));
            } else {
                completed.add(run);
            }
        }
        if (run.mask != 0) {
            next.add(run);
        }
    }

    /** The stages that may take the event after one of {@code stage}, its {@code count}-th. */
    private int candidates(int stage, int count) {
        int mask = count < max[stage] ? 1 << stage : 0;
        if (count >= min[stage]) {
            for (int later = stage + 1; later < taking.size(); later++) {
                mask |= 1 << later;
                if (min[later] > 0) {
                    break;
                }
            }
        }
        return mask;
    }

    private void emitCompleted(NfaPartition<E, K> partition) {
        if (completed.size() > 1) {
            completed.sort(Run::compareMatches);
        }
        for (Run<E> run : completed) {
            if (!run.dead) {
                emit(partition, run, false);
            }
        }
        completed.clear();
    }

    private void emit(NfaPartition<E, K> partition, Run<E> run, boolean absence) {
        var nodes = run.nodes();
        var events = new ArrayList<E>(nodes.size());
        var stages = new ArrayList<String>(nodes.size());
        for (var node : nodes) {
            events.add(node.event());
            stages.add(names[node.stage()]);
        }
        sink.emit(new Match<>(patternName, partition.key, events, stages, run.startTime, run.last.time(), absence));
        prune(partition, run);
    }

    private void prune(NfaPartition<E, K> partition, Run<E> emitted) {
        if (skip == SkipStrategy.NO_SKIP) {
            return;
        }
        long bound = skip == SkipStrategy.SKIP_PAST_LAST_EVENT ? emitted.lastSequence() : emitted.startSequence;
        partition.runs.removeIf(run -> {
            boolean discard = skip == SkipStrategy.SKIP_PAST_LAST_EVENT ? run.startSequence <= bound : run.startSequence == bound;
            if (discard) {
                run.dead = true;
            }
            return discard;
        });
        for (Run<E> run : completed) {
            boolean discard = skip == SkipStrategy.SKIP_PAST_LAST_EVENT ? run.startSequence <= bound : run.startSequence == bound;
            if (discard) {
                run.dead = true;
            }
        }
    }

    @Override
    public void fireTimersBefore(long time) {
        Timer<E, K> timer;
        while ((timer = timers.peek()) != null && timer.deadline() < time) {
            timers.poll();
            Run<E> run = timer.run();
            if (run.dead) {
                continue;
            }
            NfaPartition<E, K> partition = timer.partition();
            int before = partition.runs.size();
            run.dead = true;
            partition.runs.remove(run);
            emit(partition, run, true);
            partitions.partialMatches += partition.runs.size() - before;
            if (partition.runs.isEmpty() && partitions.get(partition.key) == partition) {
                partitions.remove(partition);
            }
        }
    }

    @Override
    public void expireIdle(long watermark) {
        if (window == Long.MAX_VALUE || watermark < Long.MIN_VALUE + window) {
            return;
        }
        partitions.expireBefore(watermark - window, partition -> {
            for (Run<E> run : partition.runs) {
                run.dead = true;
            }
            partitions.partialMatches -= partition.runs.size();
        });
    }

    private void enforceKeyLimit(NfaPartition<E, K> partition) {
        while (partition.runs.size() > limits.maxPartialMatchesPerKey()) {
            dropOldest(partition);
        }
    }

    private void enforceTotalLimit() {
        while (partitions.partialMatches > limits.maxPartialMatches()) {
            NfaPartition<E, K> oldest = partitions.oldest();
            dropOldest(oldest);
            partitions.partialMatches--;
            if (oldest.runs.isEmpty()) {
                partitions.remove(oldest);
            }
        }
    }

    private void dropOldest(NfaPartition<E, K> partition) {
        int oldest = 0;
        for (int i = 1; i < partition.runs.size(); i++) {
            if (partition.runs.get(i).startSequence < partition.runs.get(oldest).startSequence) {
                oldest = i;
            }
        }
        partition.runs.remove(oldest).dead = true;
        dropped++;
    }

    @Override
    public Counts counts() {
        return new Counts(partitions.partialMatches, partitions.size(), dropped);
    }

    @Override
    public List<PartitionState<E, K>> snapshot() {
        var states = new ArrayList<PartitionState<E, K>>();
        for (NfaPartition<E, K> partition : partitions.inOrder()) {
            var runs = new ArrayList<RunState<E>>();
            for (Run<E> run : partition.runs) {
                var nodes = run.nodes();
                runs.add(new RunState<>(nodes.stream().map(Run.Node::event).toList(),
                        nodes.stream().map(Run.Node::sequence).toList(), nodes.stream().map(Run.Node::stage).toList(),
                        run.stage, run.count, run.mask, run.gap, run.waiting));
            }
            states.add(new PartitionState<>(partition.key, partition.lastActive, runs));
        }
        return states;
    }

    @Override
    public void restore(List<PartitionState<E, K>> states) {
        for (PartitionState<E, K> state : states) {
            var partition = new NfaPartition<E, K>(state.key());
            for (RunState<E> runState : state.runs()) {
                Run.Node<E> node = null;
                for (int i = 0; i < runState.events().size(); i++) {
                    E event = runState.events().get(i);
                    node = new Run.Node<>(event, eventTime.applyAsLong(event), runState.sequences().get(i),
                            runState.stages().get(i), node);
                }
                if (node == null) {
                    throw new IllegalArgumentException("a partial match without events");
                }
                E first = runState.events().getFirst();
                var run = new Run<>(names, node, runState.events().size(), runState.stage(), runState.count(),
                        eventTime.applyAsLong(first), runState.sequences().getFirst(), runState.waiting(), runState.mask(),
                        runState.gap());
                partition.runs.add(run);
                if (run.waiting) {
                    timers.add(new Timer<>(run.startTime + window, partition, run));
                }
            }
            partitions.add(partition, state.lastActive());
            partitions.partialMatches += partition.runs.size();
        }
    }
}
