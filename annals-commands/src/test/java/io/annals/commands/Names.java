package io.annals.commands;

import io.annals.aggregate.Decider;
import io.annals.aggregate.DomainException;
import io.annals.aggregate.QueryDecider;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.event.Tagged;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventQuery;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;

/** A tiny domain for the bus's tests: counters (a decider per stream) and unique names (a decider over a query). */
final class Names {

    private Names() {
    }

    record Increment(@NotBlank String counterId, @Positive int by) {
    }

    record ClaimName(@NotBlank String owner, @NotBlank @Size(max = 50) String name) {
    }

    /** Not registered with any bus. */
    record Unhandled(String anything) {
    }

    sealed interface NameEvent {
    }

    record Incremented(String counterId, int by) implements NameEvent {
    }

    record NameClaimed(String owner, String name) implements NameEvent, Tagged {
        @Override
        public Set<Tag> tags() {
            return Set.of(Tag.of("name", name));
        }
    }

    static EventSerializer serializer() {
        return new EventSerializer(new EventTypeRegistry().registerSealed(NameEvent.class));
    }

    static StreamId counter(String id) {
        return StreamId.of("counter", id);
    }

    /** A counter that may not pass 10. */
    static final class Counter implements Decider<Increment, Integer, NameEvent> {
        @Override
        public Integer initialState() {
            return 0;
        }

        @Override
        public List<NameEvent> decide(Increment command, Integer total) {
            if (total + command.by() > 10) {
                throw new DomainException("limit-exceeded", "counter " + command.counterId() + " would pass 10");
            }
            return List.of(new Incremented(command.counterId(), command.by()));
        }

        @Override
        public Integer evolve(Integer total, NameEvent event) {
            return event instanceof Incremented incremented ? total + incremented.by() : total;
        }
    }

    /** A name belongs to whoever claims it first. */
    static class UniqueNames implements QueryDecider<ClaimName, String, NameEvent> {
        @Override
        public EventQuery query(ClaimName command) {
            return EventQuery.tagged(Tag.of("name", command.name()));
        }

        @Override
        public StreamId streamOf(NameEvent event) {
            return StreamId.of("owner", ((NameClaimed) event).owner());
        }

        @Override
        public String initialState() {
            return "";
        }

        @Override
        public List<NameEvent> decide(ClaimName command, String owner) {
            if (owner.equals(command.owner())) {
                return List.of();
            }
            if (!owner.isEmpty()) {
                throw new DomainException("name-taken", "the name " + command.name() + " is taken");
            }
            return List.of(new NameClaimed(command.owner(), command.name()));
        }

        @Override
        public String evolve(String owner, NameEvent event) {
            return event instanceof NameClaimed claimed ? claimed.owner() : owner;
        }
    }
}
