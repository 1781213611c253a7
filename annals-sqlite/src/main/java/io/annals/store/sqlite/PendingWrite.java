package io.annals.store.sqlite;

import java.util.concurrent.locks.LockSupport;

/**
 * A write in the queue and the thread waiting for it. The writer stages an outcome while it runs
 * the write and delivers it only once the transaction committed, so that a waiter never sees a
 * result that a later rollback takes back.
 */
final class PendingWrite {

    private final WriteOp op;
    private final Thread waiter = Thread.currentThread();
    private Object stagedResult;
    private Throwable stagedFailure;
    private volatile boolean done;
    private volatile boolean nudged;
    private Object result;
    private Throwable failure;

    PendingWrite(WriteOp op) {
        this.op = op;
    }

    WriteOp op() {
        return op;
    }

    void stage(Object outcome) {
        stagedResult = outcome;
        stagedFailure = null;
    }

    void stageFailure(Throwable outcome) {
        stagedResult = null;
        stagedFailure = outcome;
    }

    /** Delivers what was staged; called after the commit. */
    void deliverStaged() {
        if (stagedFailure != null) {
            fail(stagedFailure);
        } else {
            succeed(stagedResult);
        }
    }

    void succeed(Object value) {
        result = value;
        finish();
    }

    void fail(Throwable cause) {
        failure = cause;
        finish();
    }

    private void finish() {
        done = true; // the volatile write publishes result and failure
        LockSupport.unpark(waiter);
    }

    boolean isDone() {
        return done;
    }

    /** Asks the waiter to try to become the combiner, because the one before it has left. */
    void nudge() {
        nudged = true;
        LockSupport.unpark(waiter);
    }

    /** Parks until done or nudged. Interrupts are remembered for the caller, not acted on: the write may already be committed. */
    boolean awaitDoneOrNudge() {
        boolean interrupted = false;
        while (!done && !nudged) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        nudged = false;
        return interrupted;
    }

    Object result() {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new CheckedFailure(failure);
        }
        return result;
    }

    /** Carries a checked exception of the caller's own transaction work back to it. */
    static final class CheckedFailure extends RuntimeException {
        CheckedFailure(Throwable cause) {
            super(cause);
        }
    }
}
