package io.annals.store.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Funnels every write through one connection by flat combining: a writer queues its request and,
 * if the connection is free, takes it and runs everything queued so far as one transaction; if
 * not, it sleeps until the current holder has run its request. A lone writer thus writes on its
 * own thread with no hand-off, and many concurrent writers share one commit.
 */
final class WriteCombiner {

    private static final int MAX_GROUP_WRITES = 1_024;
    private static final int MAX_GROUP_EVENTS = 20_000;
    /** How often a new combiner lets other writers run before it takes the queue, while most of them have not queued yet. */
    private static final int MAX_YIELDS_FOR_RETURNING_WRITERS = 8;

    private final ReentrantLock connectionLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<PendingWrite> queue = new ConcurrentLinkedQueue<>();
    /** Writes in the queue, and writers between entering and leaving submit: the group a combiner may expect. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger writers = new AtomicInteger();
    private final StoreWriter writer;
    /** An exclusive write taken from the queue while a group was being formed; runs next. Guarded by connectionLock. */
    private PendingWrite carried;

    WriteCombiner(StoreWriter writer) {
        this.writer = writer;
    }

    Object submit(WriteOp op) {
        if (connectionLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("inside inTransaction, write through the JdbcTransaction, not the store");
        }
        var write = new PendingWrite(op);
        writers.incrementAndGet();
        queued.incrementAndGet();
        queue.add(write);
        boolean interrupted = false;
        try {
            while (!write.isDone()) {
                if (connectionLock.tryLock()) {
                    try {
                        if (!write.isDone()) {
                            waitForReturningWriters();
                        }
                        while (!write.isDone() || carried != null) {
                            runNextGroup();
                        }
                    } finally {
                        connectionLock.unlock();
                    }
                    // someone may have queued after we drained and failed to take the lock before we let go
                    PendingWrite next = queue.peek();
                    if (next != null) {
                        next.nudge();
                    }
                } else {
                    interrupted |= write.awaitDoneOrNudge();
                }
            }
        } finally {
            writers.decrementAndGet();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return write.result();
    }

    /** Runs writes that need no caller: used when closing. */
    void drainWithLock(Runnable whileHeld) {
        connectionLock.lock();
        try {
            while (carried != null || !queue.isEmpty()) {
                runNextGroup();
            }
            whileHeld.run();
        } finally {
            connectionLock.unlock();
        }
    }

    /**
     * Right after a commit the writers it answered are still on their way back with their next
     * write; committing the one or two that made it already would make every group tiny. So
     * while fewer than half of the active writers have queued, let them run a few times first.
     * A lone writer never waits: it is the only one active and it has queued.
     */
    private void waitForReturningWriters() {
        for (int i = 0; i < MAX_YIELDS_FOR_RETURNING_WRITERS && queued.get() * 2 < writers.get(); i++) {
            Thread.yield();
        }
    }

    private void runNextGroup() {
        if (carried != null) {
            PendingWrite exclusive = carried;
            carried = null;
            writer.runExclusive(exclusive);
            return;
        }
        List<PendingWrite> group = new ArrayList<>();
        int events = 0;
        PendingWrite next;
        while (group.size() < MAX_GROUP_WRITES && events < MAX_GROUP_EVENTS && (next = queue.poll()) != null) {
            queued.decrementAndGet();
            if (next.op().exclusive()) {
                if (group.isEmpty()) {
                    writer.runExclusive(next);
                    return;
                }
                carried = next;
                break;
            }
            group.add(next);
            if (next.op() instanceof WriteOp.Append append) {
                events += append.events().size();
            }
        }
        if (!group.isEmpty()) {
            writer.runGroup(group);
        }
    }
}
