package io.annals.store.postgres;

import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.EventStoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Combines concurrent appends into shared transactions (flat combining). A caller queues its
 * request and, if no one is writing in its lane, becomes the writer: it drains the lane's queue
 * in batches, one database call per batch, until the queue is empty. A lone caller therefore
 * writes on its own thread with no hand-off; under load one call carries many requests.
 *
 * <p>Streams are spread over lanes by hash, so batches of different lanes never touch the same
 * stream and can be written in parallel. A batch holds each stream at most once; a second
 * request for a stream waits for the next batch, where it sees the first one's result.
 */
final class WriteCombiner {

    private final Lane[] lanes;
    private final BatchWriter writer;
    private final int maxBatchEvents;

    WriteCombiner(BatchWriter writer, int laneCount, int maxBatchEvents) {
        if (laneCount < 1 || maxBatchEvents < 1) {
            throw new IllegalArgumentException("lanes and batch size must be positive");
        }
        this.writer = writer;
        this.maxBatchEvents = maxBatchEvents;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane();
        }
    }

    AppendResult append(AppendRequest request) {
        Lane lane = lanes[Math.floorMod(request.streamId().hashCode(), lanes.length)];
        lane.queue.add(request);
        // whoever fails to take the lock leaves its request to the holder, who looks at the queue
        // again after unlocking, so no request is ever stranded
        while (!lane.queue.isEmpty() && lane.lock.tryLock()) {
            try {
                lane.drain();
            } finally {
                lane.lock.unlock();
            }
        }
        try {
            return request.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof EventStoreException failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private final class Lane {
        final Queue<AppendRequest> queue = new ConcurrentLinkedQueue<>();
        /** Requests for a stream already in the batch being built; touched only under the lock. */
        final ArrayDeque<AppendRequest> deferred = new ArrayDeque<>();
        final ReentrantLock lock = new ReentrantLock();

        void drain() {
            do {
                List<AppendRequest> batch = nextBatch();
                if (batch.isEmpty()) {
                    return;
                }
                writer.write(batch);
            } while (!queue.isEmpty() || !deferred.isEmpty());
        }

        private List<AppendRequest> nextBatch() {
            var batch = new ArrayList<AppendRequest>();
            Set<StreamId> streams = new HashSet<>();
            int events = 0;
            var stillDeferred = new ArrayDeque<AppendRequest>();
            while (!deferred.isEmpty()) {
                AppendRequest request = deferred.poll();
                if (events > 0 && events + request.events().size() > maxBatchEvents || !streams.add(request.streamId())) {
                    stillDeferred.add(request);
                } else {
                    batch.add(request);
                    events += request.events().size();
                }
            }
            deferred.addAll(stillDeferred);
            AppendRequest request;
            while (events < maxBatchEvents && (request = queue.poll()) != null) {
                if (events > 0 && events + request.events().size() > maxBatchEvents || !streams.add(request.streamId())) {
                    deferred.add(request);
                    if (events + request.events().size() > maxBatchEvents) {
                        break;
                    }
                } else {
                    batch.add(request);
                    events += request.events().size();
                }
            }
            return batch;
        }
    }
}
