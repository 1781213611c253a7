package io.annals.commands;

import io.annals.aggregate.CommandContext;
import io.annals.aggregate.CommandOutcome;
import io.annals.aggregate.DeciderRepository;
import io.annals.aggregate.QueryDeciderRepository;
import io.annals.aggregate.QueryOutcome;
import io.annals.event.Position;
import io.annals.event.StreamId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Carries out one type of command for the {@link CommandBus}. Most handlers are one of the two
 * decider forms: {@link #stream} (a decider over one stream) and {@link #query} (a decider over
 * a query across streams). A handler rejects a command by throwing a
 * {@link io.annals.aggregate.DomainException}; the bus turns that and the runtimes' other
 * failures into {@link CommandResult.Failure}s.
 */
@FunctionalInterface
public interface CommandHandler<C> {

    /** What a handler did: the events it stored and where, or that it repeats a recorded outcome. */
    record Handled(List<?> events, Optional<Position> position, boolean repeated) {
        public Handled {
            events = List.copyOf(events);
            Objects.requireNonNull(position, "position");
        }
    }

    Handled handle(C command, CommandContext context);

    /** A decider over one stream, the stream named by {@code streamOf}. */
    static <C> CommandHandler<C> stream(DeciderRepository<? super C, ?, ?> repository, Function<? super C, StreamId> streamOf) {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(streamOf, "streamOf");
        return (command, context) -> {
            CommandOutcome<?, ?> outcome = repository.handle(streamOf.apply(command), command, context);
            return new Handled(outcome.events(), outcome.position(), outcome.repeated());
        };
    }

    /** A decider over the query it declares for each command. */
    static <C> CommandHandler<C> query(QueryDeciderRepository<? super C, ?, ?> repository) {
        Objects.requireNonNull(repository, "repository");
        return (command, context) -> {
            QueryOutcome<?, ?> outcome = repository.handle(command, context);
            return new Handled(outcome.events(), outcome.position(), outcome.repeated());
        };
    }
}
