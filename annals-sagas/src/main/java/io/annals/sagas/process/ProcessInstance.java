package io.annals.sagas.process;

import io.annals.sagas.outbox.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One process manager instance folded from what its stream records, and what handling an input
 * adds to it. Pure: the runtime stores and loads the records, the test fixture keeps them in memory.
 */
public final class ProcessInstance<S, E> {

    /** What an instance's stream records, one event each. */
    public sealed interface Recorded<E> {
        /** An input handled; {@code source} is the input event's id, or the deadline's id when one fired. */
        record Handled<E>(UUID source, E input) implements Recorded<E> {
        }

        record CommandSent<E>(UUID messageId, Object command) implements Recorded<E> {
        }

        record MessageRecorded<E>(OutboxMessage message) implements Recorded<E> {
        }

        record Scheduled<E>(UUID deadlineId, String name, Instant dueAt, E payload) implements Recorded<E> {
        }

        record Cancelled<E>(UUID deadlineId, String name) implements Recorded<E> {
        }

        record Fired<E>(UUID deadlineId, String name) implements Recorded<E> {
        }

        record Ended<E>() implements Recorded<E> {
        }
    }

    private final ProcessManager<S, E> manager;
    private S state;
    private final Set<UUID> handled = new HashSet<>();
    private final Map<String, Recorded.Scheduled<E>> pending = new LinkedHashMap<>();
    private boolean ended;

    public ProcessInstance(ProcessManager<S, E> manager) {
        this.manager = manager;
        this.state = manager.initialState();
    }

    public S state() {
        return state;
    }

    public boolean ended() {
        return ended;
    }

    /** The deadlines set and neither fired nor cancelled, by name. */
    public Map<String, Recorded.Scheduled<E>> pending() {
        return Map.copyOf(pending);
    }

    public void apply(Recorded<E> recorded) {
        switch (recorded) {
            case Recorded.Handled<E>(UUID source, E input) -> {
                handled.add(source);
                state = manager.evolve(state, input);
            }
            case Recorded.Scheduled<E> scheduled -> pending.put(scheduled.name(), scheduled);
            case Recorded.Cancelled<E>(UUID id, String name) -> removePending(id, name);
            case Recorded.Fired<E>(UUID id, String name) -> removePending(id, name);
            case Recorded.Ended<E> end -> ended = true;
            case Recorded.CommandSent<E> sent -> {
            }
            case Recorded.MessageRecorded<E> message -> {
            }
        }
    }

    private void removePending(UUID id, String name) {
        Recorded.Scheduled<E> current = pending.get(name);
        if (current != null && current.deadlineId().equals(id)) {
            pending.remove(name);
        }
    }

    /**
     * What handling {@code input} records, in order; empty when the instance handled it before,
     * has ended, or when {@code firing} names a deadline that is no longer pending.
     *
     * @param source the input event's id (or the firing deadline's id): ids of what it records derive from it
     * @param now    the time relative deadlines count from
     */
    public List<Recorded<E>> decide(UUID source, E input, Instant now, Optional<UUID> firing) {
        if (handled.contains(source) || ended) {
            return List.of();
        }
        var out = new ArrayList<Recorded<E>>();
        var stillPending = new LinkedHashMap<>(pending);
        if (firing.isPresent()) {
            Optional<Recorded.Scheduled<E>> fired = stillPending.values().stream()
                    .filter(deadline -> deadline.deadlineId().equals(firing.get())).findFirst();
            if (fired.isEmpty()) {
                return List.of();
            }
            stillPending.remove(fired.get().name());
            out.add(new Recorded.Fired<>(fired.get().deadlineId(), fired.get().name()));
        }
        Reaction<E> reaction = manager.react(state, input);
        out.add(new Recorded.Handled<>(source, input));
        int index = 0;
        for (Object command : reaction.commands()) {
            out.add(new Recorded.CommandSent<>(derive(source, index++), command));
        }
        for (Reaction.Message message : reaction.messages()) {
            out.add(new Recorded.MessageRecorded<>(new OutboxMessage(derive(source, index++), message.destination(),
                    message.type(), message.payload())));
        }
        for (String name : reaction.cancellations()) {
            Recorded.Scheduled<E> cancelled = stillPending.remove(name);
            if (cancelled != null) {
                out.add(new Recorded.Cancelled<>(cancelled.deadlineId(), name));
            }
        }
        for (Reaction.Schedule<E> schedule : reaction.schedules()) {
            Recorded.Scheduled<E> replaced = stillPending.remove(schedule.name());
            if (replaced != null) {
                out.add(new Recorded.Cancelled<>(replaced.deadlineId(), replaced.name()));
            }
            var scheduled = new Recorded.Scheduled<>(derive(source, index++), schedule.name(), schedule.dueAt(now), schedule.payload());
            stillPending.put(schedule.name(), scheduled);
            out.add(scheduled);
        }
        if (reaction.ends()) {
            for (Recorded.Scheduled<E> left : stillPending.values()) {
                out.add(new Recorded.Cancelled<>(left.deadlineId(), left.name()));
            }
            out.add(new Recorded.Ended<>());
        }
        return out;
    }

    /** The same id for the same effect of the same input, however often it is decided. */
    static UUID derive(UUID source, int index) {
        return UUID.nameUUIDFromBytes((source + "/" + index).getBytes(StandardCharsets.UTF_8));
    }
}
