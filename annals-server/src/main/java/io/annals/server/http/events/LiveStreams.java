package io.annals.server.http.events;

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

    public int count() {
        return open.size();
    }

    /** Streams whose subscription stopped on its own (store failure) rather than by the client leaving. */
    public long failedCount() {
        return open.stream().filter(EventStreamSession::subscriptionFailed).count();
    }

    /** Ends every open stream and refuses new ones; their handlers return and the responses complete. */
    public void closeAll() {
        closed = true;
        open.forEach(EventStreamSession::end);
    }
}
