package io.annals.aggregate;

import io.annals.event.Position;
import java.util.List;
import java.util.Optional;

/**
 * What handling a command did.
 *
 * @param events   the events it caused, empty when the command changed nothing
 * @param state    the state after them
 * @param version  the stream's version after them (-1: the stream still does not exist)
 * @param position the global position of the last event written, empty when nothing was written
 */
public record CommandOutcome<S, E>(List<E> events, S state, long version, Optional<Position> position) {

    public CommandOutcome {
        events = List.copyOf(events);
    }
}
