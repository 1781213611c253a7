package io.annals.store.postgres;

import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Combines concurrent appends into shared transactions. Each lane has a writer thread that takes
 * whatever requests are queued (up to a batch size) and writes them with one database call; a
 * lone request is written at once, under load one call carries many.
 *
 * <p>A batch of several requests is written on the lane's own thread, never on a caller's:
 * interrupting a virtual thread in socket I/O closes the socket, and one caller's interrupt must
 * not fail the other requests of its batch (a caller that finds its lane idle writes its own
 * request alone). The writers are platform threads: they live as long as the store
 * and spend their time in socket round trips, where a platform thread's blocking read saves the
 * virtual-thread poller's extra wake-ups on every call. Streams are spread over lanes by hash,
 * so batches of different lanes never touch the same stream and are written in parallel. A
 * batch holds each stream at most once; a second request for a stream waits for the next batch,
 * where it sees the first one's result.
 */
final class WriteCombiner implements AutoCloseable {

    private static final AppendRequest STOP = new AppendRequest(StreamId.of("stop"), ExpectedVersion.any(), List.of());

    private final Lane[] lanes;
    private final BatchWriter writer;
    private final int maxBatchEvents;
    private volatile boolean closed;

    WriteCombiner(BatchWriter writer, SchemaName schema, int laneCount, int maxBatchEvents) {
        if (laneCount < 1 || maxBatchEvents < 1) {
            throw new IllegalArgumentException("lanes and batch size must be positive");
        }
        this.writer = writer;
        this.maxBatchEvents = maxBatchEvents;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane("annals-pg-writer-" + schema + "-" + i);
        }
    }

    AppendResult append(AppendRequest request) {
        if (closed) {
            throw closedFailure();
        }
        Lane lane = lanes[Math.floorMod(request.streamId().hashCode(), lanes.length)];
        if (!lane.writeAloneIfIdle(request)) {
            lane.queue.add(request);
            if (closed && !lane.thread.isAlive()) {
                // queued after the writer's last look and after close's own sweep of the queue
                lane.failQueued();
            }
        }
        try {
            // untimed: a timed wait would register a timer with the scheduler on every append
            return request.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreUnavailableException("interrupted while appending to " + request.streamId()
                    + "; the append was written completely or not at all, retry with the same event ids", e);
        }
    }

    private static EventStoreClosedException closedFailure() {
        return new EventStoreClosedException("the PostgreSQL store is closed");
    }

    /** Writes what is queued, then stops the writers; later appends fail as closed. */
    @Override
    public void close() {
        closed = true;
        for (Lane lane : lanes) {
            lane.queue.add(STOP);
        }
        for (Lane lane : lanes) {
            try {
                lane.thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!lane.thread.isAlive()) {
                lane.failQueued(); // requests queued after the writer's last look
            }
            // a caller writing alone finishes before the store closes the pool under it
            try {
                if (lane.writing.tryLock(10, TimeUnit.SECONDS)) {
                    lane.writing.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Lane {
        final BlockingQueue<AppendRequest> queue = new LinkedBlockingQueue<>();
        /** Requests for a stream already in the batch being built; touched only by the writer thread. */
        final ArrayDeque<AppendRequest> deferred = new ArrayDeque<>();
        /** Held while a batch of this lane is being written, by the writer thread or a caller. */
        final ReentrantLock writing = new ReentrantLock();
        final Thread thread;

        Lane(String name) {
            this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
        }

        private void run() {
            boolean stopping = false;
            while (!stopping || !deferred.isEmpty()) {
                List<AppendRequest> batch = new ArrayList<>();
                stopping |= nextBatch(batch, stopping);
                if (!batch.isEmpty()) {
                    writing.lock();
                    writeHoldingLane(batch);
                }
            }
            failQueued();
        }

        /**
         * Writes {@code request} on the caller's own thread when the lane has nothing queued and
         * nothing being written: a lone append then skips the two hand-offs between threads. Its
         * batch is the request alone, so an interrupt of the caller can fail nothing but its own
         * append (and costs the pool that connection, which the interrupt closes). Under load the
         * queue is rarely empty and requests go through the writer.
         */
        boolean writeAloneIfIdle(AppendRequest request) {
            if (!queue.isEmpty() || !writing.tryLock()) {
                return false;
            }
            if (closed) {
                // close has waited for the lane already: the pool may be gone
                writing.unlock();
                request.result().completeExceptionally(closedFailure());
                return true;
            }
            writeHoldingLane(List.of(request));
            return true;
        }

        /** Writes {@code batch} and releases the lane, which the caller has taken. */
        private void writeHoldingLane(List<AppendRequest> batch) {
            try {
                writer.write(batch);
            } catch (RuntimeException | Error e) {
                // BatchWriter has completed the batch's futures with the failure; the lane goes on
            } finally {
                writing.unlock();
            }
        }

        /** Fills {@code batch}; true when the stop marker was taken. */
        private boolean nextBatch(List<AppendRequest> batch, boolean stopping) {
            Set<StreamId> streams = new HashSet<>();
            int events = 0;
            var stillDeferred = new ArrayDeque<AppendRequest>();
            while (!deferred.isEmpty()) {
                AppendRequest request = deferred.poll();
                if (fits(events, request) && streams.add(request.streamId())) {
                    batch.add(request);
                    events += request.events().size();
                } else {
                    stillDeferred.add(request);
                }
            }
            deferred.addAll(stillDeferred);
            if (stopping) {
                return true;
            }
            AppendRequest request;
            if (batch.isEmpty()) {
                request = take();
                if (request == STOP) {
                    return true;
                }
                batch.add(request);
                streams.add(request.streamId());
                events += request.events().size();
            }
            while (events < maxBatchEvents && (request = queue.poll()) != null) {
                if (request == STOP) {
                    return true;
                }
                if (fits(events, request) && streams.add(request.streamId())) {
                    batch.add(request);
                    events += request.events().size();
                } else {
                    deferred.add(request);
                    if (!fits(events, request)) {
                        break;
                    }
                }
            }
            return false;
        }

        private boolean fits(int events, AppendRequest request) {
            return events == 0 || events + request.events().size() <= maxBatchEvents;
        }

        private AppendRequest take() {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    // only close stops a writer, through the stop marker
                }
            }
        }

        private void failQueued() {
            AppendRequest request;
            while ((request = queue.poll()) != null) {
                if (request != STOP) {
                    request.result().completeExceptionally(closedFailure());
                }
            }
        }
    }
}
