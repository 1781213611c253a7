package io.annals.aggregate;

import io.annals.event.Position;
import java.util.List;
import java.util.Optional;

/**
 * What handling a command did.
 *
 * @param events   the events it caused, empty when the command changed nothing
 * @param state    the state after them; for a repeat, the stream's state now
 * @param version  the stream's version after them (-1: the stream still does not exist); for a
 *                 repeat, the stream's version now
 * @param position the global position of the last event written, empty when nothing was written
 * @param repeated whether the command id had been handled before, so that this is the recorded
 *                 first outcome and nothing was written now
 */
public record CommandOutcome<S, E>(List<E> events, S state, long version, Optional<Position> position, boolean repeated) {

    public CommandOutcome {
        events = List.copyOf(events);
    }

    /** The outcome of a command handled now. */
    public CommandOutcome(List<E> events, S state, long version, Optional<Position> position) {
        this(events, state, version, position, false);
    }
}
