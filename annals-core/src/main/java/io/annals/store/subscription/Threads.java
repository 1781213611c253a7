package io.annals.store.subscription;

import java.time.Duration;

final class Threads {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private Threads() {
    }

    /**
     * Waits for a thread that was asked to stop. Interrupting is the last resort, after a grace
     * period, because interrupting a virtual thread in socket I/O closes the socket, and with it
     * a pooled database connection.
     */
    static void awaitEnd(Thread thread) {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (!thread.join(PATIENCE)) {
                thread.interrupt();
                thread.join(PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
