package io.annals.aggregate;

import io.annals.event.Position;
import java.util.List;
import java.util.Optional;

/**
 * What handling a command with a {@link QueryDecider} did.
 *
 * @param events   the events it caused, grouped by stream in the order the streams first
 *                 appear (the order they were stored in); empty when it changed nothing
 * @param state    the state after them; for a repeat, the state folded now
 * @param position the global position of the last event written, empty when nothing was written
 * @param repeated whether the command id had been handled before, so that this is the recorded
 *                 first outcome and nothing was written now
 */
public record QueryOutcome<S, E>(List<E> events, S state, Optional<Position> position, boolean repeated) {

    public QueryOutcome {
        events = List.copyOf(events);
    }
}
