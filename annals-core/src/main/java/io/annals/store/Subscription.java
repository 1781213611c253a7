package io.annals.store;

import io.annals.event.Position;
import java.util.Optional;

/** A running subscription. Closing it stops delivery; the handler is not called afterwards. */
public interface Subscription extends AutoCloseable {

    /** The position of the last event handled, {@code after} until the first one. */
    Position position();

    /** Whether the subscription has caught up with the store at least once. */
    boolean isLive();

    /** Whether it is still delivering (not closed and not failed). */
    boolean isRunning();

    /** Why it stopped, when its handler or the store failed. */
    Optional<Throwable> failure();

    @Override
    void close();
}
