package io.annals.cep.engine;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Timers in deadline order. Events are matched in event-time order and a pattern has one window,
 * so deadlines nearly always arrive in order: those go to a plain queue, the rare one out of
 * order to a heap, and the earliest of the two heads comes out first.
 */
final class TimerQueue<T> {

    private final Comparator<? super T> order;
    private final ArrayDeque<T> inOrder = new ArrayDeque<>();
    private final PriorityQueue<T> outOfOrder;

    TimerQueue(Comparator<? super T> order) {
        this.order = order;
        this.outOfOrder = new PriorityQueue<>(order);
    }

    void add(T timer) {
        T last = inOrder.peekLast();
        if (last == null || order.compare(last, timer) <= 0) {
            inOrder.addLast(timer);
        } else {
            outOfOrder.add(timer);
        }
    }

    T peek() {
        T first = inOrder.peekFirst();
        T other = outOfOrder.peek();
        if (first == null) {
            return other;
        }
        return other == null || order.compare(first, other) <= 0 ? first : other;
    }

    T poll() {
        T first = peek();
        if (first != null) {
            if (first == inOrder.peekFirst()) {
                inOrder.pollFirst();
            } else {
                outOfOrder.poll();
            }
        }
        return first;
    }

    int size() {
        return inOrder.size() + outOfOrder.size();
    }
}
