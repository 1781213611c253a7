package io.annals.cep.engine;

import io.annals.cep.MatchSoFar;
import java.util.ArrayList;
import java.util.List;

/**
 * A partial match. Its events form a chain shared with the runs it branched from, so taking an
 * event costs one node, not a copy.
 */
final class Run<E> implements MatchSoFar<E> {

    /** One taken event; {@code previous} is shared between branches. */
    record Node<E>(E event, long time, long sequence, int stage, Node<E> previous) {
    }

    final String[] stageNames;
    final Node<E> last;
    final int size;
    final int stage;
    final int count;
    final long startTime;
    final long startSequence;
    final boolean waiting;
    int mask;
    int gap;
    boolean dead;

    Run(String[] stageNames, Node<E> last, int size, int stage, int count, long startTime, long startSequence,
        boolean waiting, int mask, int gap) {
        this.stageNames = stageNames;
        this.last = last;
        this.size = size;
        this.stage = stage;
        this.count = count;
        this.startTime = startTime;
        this.startSequence = startSequence;
        this.waiting = waiting;
        this.mask = mask;
        this.gap = gap;
    }

    Run<E> take(int newStage, E event, long time, long sequence, int newMask) {
        int newCount = newStage == stage ? count + 1 : 1;
        return new Run<>(stageNames, new Node<>(event, time, sequence, newStage, last), size + 1, newStage, newCount,
                startTime, startSequence, false, newMask, 0);
    }

    Run<E> waitingCopy() {
        return new Run<>(stageNames, last, size, stage, count, startTime, startSequence, true, 0, 0);
    }

    long lastSequence() {
        return last.sequence();
    }

    /** The nodes, oldest first. */
    List<Node<E>> nodes() {
        var nodes = new ArrayList<Node<E>>(size);
        for (Node<E> node = last; node != null; node = node.previous()) {
            nodes.add(node);
        }
        return nodes.reversed();
    }

    /** Orders runs that complete together: by first event, then by the events taken. */
    static int compareMatches(Run<?> a, Run<?> b) {
        int byStart = Long.compare(a.startSequence, b.startSequence);
        if (byStart != 0) {
            return byStart;
        }
        var left = a.nodes();
        var right = b.nodes();
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int bySequence = Long.compare(left.get(i).sequence(), right.get(i).sequence());
            if (bySequence != 0) {
                return bySequence;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    @Override
    public List<E> events() {
        var events = new ArrayList<E>(size);
        for (Node<E> node = last; node != null; node = node.previous()) {
            events.add(node.event());
        }
        return events.reversed();
    }

    @Override
    public List<E> events(String stageName) {
        var events = new ArrayList<E>();
        for (Node<E> node = last; node != null; node = node.previous()) {
            if (stageNames[node.stage()].equals(stageName)) {
                events.add(node.event());
            }
        }
        return events.reversed();
    }
}
