package io.annals.server.http.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open event streams of the node, so that health can report them and shutdown can end them. */
public final class LiveStreams {

    private final Set<EventStreamSession> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    boolean register(EventStreamSession session) {
        open.add(session);
        if (closed) {
            open.remove(session);
            return false;
        }
        return true;
    }

    void unregister(EventStreamSession session) {
        open.remove(session);
    }

    /** The streams whose clients are still there; a stream whose client has left is ended first. */
    public int count() {
        open.removeIf(EventStreamSession::endIfClientLeft);
        return open.size();
    }

    /** Streams whose subscription stopped on its own (store failure) rather than by the client leaving. */
    public long failedCount() {
        open.removeIf(EventStreamSession::endIfClientLeft);
        return open.stream().filter(EventStreamSession::subscriptionFailed).count();
    }

    /** How far the furthest behind of the open streams is (see {@link EventStreamSession#lag}); zero when none is. */
    public Duration maxLag(Instant now) {
        open.removeIf(EventStreamSession::endIfClientLeft);
        Duration max = Duration.ZERO;
        for (EventStreamSession session : open) {
            Duration lag = session.lag(now);
            if (lag.compareTo(max) > 0) {
                max = lag;
            }
        }
        return max;
    }

    /** Ends every open stream and refuses new ones; their handlers return and the responses complete. */
    public void closeAll() {
        closed = true;
        open.forEach(EventStreamSession::end);
    }
}
