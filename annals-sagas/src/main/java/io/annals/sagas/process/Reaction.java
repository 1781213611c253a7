package io.annals.sagas.process;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a process manager decided about one input, as data: recorded with the input in the
 * instance's stream, then carried out by the outbox relay (commands and messages) and the
 * deadline timer.
 *
 * <pre>{@code
 * return Reaction.<UserEvent>none()
 *         .send(new LockAccount(userId))
 *         .notify("email", "AccountLocked", json)
 *         .schedule("unlock", Duration.ofMinutes(15), new UnlockDue(userId));
 * }</pre>
 */
public record Reaction<E>(List<Object> commands, List<Message> messages, List<Schedule<E>> schedules,
                          List<String> cancellations, boolean ends) {

    /** A message for the outbox, without its id (derived from the input, so that a retry records the same). */
    public record Message(String destination, String type, String payload) {
        public Message {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * A deadline to set: due {@code after} the input was handled, or at {@code at}; setting a
     * name that is pending replaces it.
     */
    public record Schedule<E>(String name, Optional<Duration> after, Optional<Instant> at, E payload) {
        public Schedule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(payload, "payload");
            if (after.isPresent() == at.isPresent()) {
                throw new IllegalArgumentException("a deadline is due either after a duration or at an instant");
            }
        }

        public Instant dueAt(Instant now) {
            return at.orElseGet(() -> now.plus(after.orElseThrow()));
        }
    }

    public Reaction {
        commands = List.copyOf(commands);
        messages = List.copyOf(messages);
        schedules = List.copyOf(schedules);
        cancellations = List.copyOf(cancellations);
    }

    public static <E> Reaction<E> none() {
        return new Reaction<>(List.of(), List.of(), List.of(), List.of(), false);
    }

    /** Also send {@code command} through the command bus (as an outbox message to {@code commands}). */
    public Reaction<E> send(Object command) {
        return new Reaction<>(plus(commands, Objects.requireNonNull(command, "command")), messages, schedules, cancellations, ends);
    }

    /** Also put a message in the outbox. */
    public Reaction<E> notify(String destination, String type, String payload) {
        return new Reaction<>(commands, plus(messages, new Message(destination, type, payload)), schedules, cancellations, ends);
    }

    /** Also set deadline {@code name} to deliver {@code payload} to this instance {@code after} from now. */
    public Reaction<E> schedule(String name, Duration after, E payload) {
        return new Reaction<>(commands, messages, plus(schedules, new Schedule<>(name, Optional.of(after), Optional.empty(), payload)),
                cancellations, ends);
    }

    /** Also set deadline {@code name} to deliver {@code payload} to this instance at {@code at}. */
    public Reaction<E> scheduleAt(String name, Instant at, E payload) {
        return new Reaction<>(commands, messages, plus(schedules, new Schedule<>(name, Optional.empty(), Optional.of(at), payload)),
                cancellations, ends);
    }

    /** Also cancel the pending deadline {@code name}, if there is one. */
    public Reaction<E> cancel(String name) {
        return new Reaction<>(commands, messages, schedules, plus(cancellations, Objects.requireNonNull(name, "name")), ends);
    }

    /** The instance ends after this input: later inputs for it are ignored and its pending deadlines cancelled. */
    public Reaction<E> end() {
        return new Reaction<>(commands, messages, schedules, cancellations, true);
    }

    private static <T> List<T> plus(List<T> list, T item) {
        var copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }
}
