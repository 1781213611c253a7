package io.annals.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.aggregate.CommandContext;
import io.annals.aggregate.DeciderRepository;
import io.annals.aggregate.QueryDeciderRepository;
import io.annals.commands.Names.ClaimName;
import io.annals.commands.Names.Increment;
import io.annals.commands.Names.Incremented;
import io.annals.commands.Names.NameClaimed;
import io.annals.commands.Names.NameEvent;
import io.annals.commands.Names.Unhandled;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.serialization.EventSerializer;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandBusTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final EventSerializer serializer = Names.serializer();

    @TempDir
    Path directory;

    @AfterEach
    void close() {
        store.close();
    }

    private CommandBus.Builder wiredTo(EventStore target, Names.UniqueNames names, int attempts) {
        var counters = DeciderRepository.builder(target, serializer, new Names.Counter(), NameEvent.class).build();
        var claims = QueryDeciderRepository.builder(target, serializer, names, NameEvent.class).maxAttempts(attempts).build();
        return CommandBus.builder()
                .handle(Increment.class, CommandHandler.stream(counters, command -> Names.counter(command.counterId())))
                .handle(ClaimName.class, CommandHandler.query(claims));
    }

    private CommandBus bus() {
        return wiredTo(store, new Names.UniqueNames(), 3).intercept(ValidationInterceptor.create()).build();
    }

    private List<RecordedEvent> stored() {
        return store.readAll(Position.START, 1000, EventFilter.ALL);
    }

    @Test
    void routesEachCommandToItsHandler() {
        var bus = bus();
        CommandResult counted = bus.dispatch(new Increment("c", 2));
        CommandResult claimed = bus.dispatch(new ClaimName("ann", "orca"));

        assertThat(counted).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted -> {
            assertThat(accepted.events()).containsExactly(new Incremented("c", 2));
            assertThat(accepted.repeated()).isFalse();
        });
        assertThat(claimed).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted -> {
            assertThat(accepted.events()).containsExactly(new NameClaimed("ann", "orca"));
            assertThat(accepted.position()).contains(stored().getLast().position());
        });
        assertThat(stored().getLast().tags()).containsExactly(Tag.of("name", "orca"));
    }

    @Test
    void answersEachFailureWithItsOwnType() {
        var bus = bus();
        bus.dispatch(new ClaimName("ann", "orca"));
        bus.dispatch(new Increment("c", 9));

        assertThat(bus.dispatch(new ClaimName("bob", "orca"))).isInstanceOfSatisfying(CommandResult.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo("name-taken"));
        assertThat(bus.dispatch(new Increment("c", 2))).isInstanceOfSatisfying(CommandResult.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo("limit-exceeded"));
        assertThat(bus.dispatch(new Unhandled("x"))).isInstanceOfSatisfying(CommandResult.UnknownCommand.class,
                unknown -> assertThat(unknown.message()).contains(Unhandled.class.getName()));
        assertThat(stored()).hasSize(2);
    }

    @Test
    void refusesAnInvalidCommandWithEveryViolationBeforeItsHandlerRuns() {
        CommandResult result = bus().dispatch(new ClaimName(" ", "x".repeat(51)));

        assertThat(result).isInstanceOfSatisfying(CommandResult.Invalid.class, invalid -> {
            assertThat(invalid.violations()).extracting(CommandResult.Violation::path).containsExactly("name", "owner");
            assertThat(invalid.violations().getFirst().message()).contains("50");
        });
        assertThat(stored()).isEmpty();
    }

    @Test
    void aCommandWhoseQueryCannotBeBuiltIsInvalid() {
        var bus = wiredTo(store, new Names.UniqueNames(), 3).build();
        assertThat(bus.dispatch(new ClaimName("ann", "bad\u0007name"))).isInstanceOfSatisfying(CommandResult.Invalid.class,
                invalid -> assertThat(invalid.violations()).singleElement()
                        .satisfies(violation -> assertThat(violation.path()).isEqualTo("query")));
        var noItems = new Names.UniqueNames() {
            @Override
            public EventQuery query(ClaimName command) {
                return new EventQuery(List.of());
            }
        };
        assertThat(wiredTo(store, noItems, 3).build().dispatch(new ClaimName("ann", "orca")))
                .isInstanceOfSatisfying(CommandResult.Invalid.class,
                        invalid -> assertThat(invalid.message()).contains("at least one item"));
        assertThat(stored()).isEmpty();
    }

    @Test
    void aConflictThatOutlastsEveryAttemptIsConflicted() {
        var attempts = new AtomicInteger();
        var alwaysRaced = new Names.UniqueNames() {
            @Override
            public List<NameEvent> decide(ClaimName command, String owner) {
                store.append(StreamId.of("owner", "rival" + attempts.incrementAndGet()), ExpectedVersion.any(),
                        // matches the query, so it fails the condition, but leaves the decision as it was
                        List.of(serializer.serialize(new Incremented("rival", 1), Metadata.EMPTY)
                                .withTags(Tag.of("name", command.name()))));
                return super.decide(command, owner);
            }
        };
        CommandResult result = wiredTo(store, alwaysRaced, 2).build().dispatch(new ClaimName("ann", "orca"));

        assertThat(result).isInstanceOf(CommandResult.Conflicted.class);
        assertThat(attempts).hasValue(2);
        var versionConflict = CommandBus.builder().handle(Unhandled.class, (command, context) -> {
            throw new WrongExpectedVersionException(StreamId.of("s"), ExpectedVersion.noStream(), 3);
        }).build();
        assertThat(versionConflict.dispatch(new Unhandled("x"))).isInstanceOf(CommandResult.Conflicted.class);
    }

    @Test
    void theCommandIdBecomesTheCorrelationOfItsEventsAndACausingEventTheirCausation() {
        var bus = bus();
        var first = CommandContext.newCommand();
        bus.dispatch(new ClaimName("ann", "orca"), first);
        RecordedEvent claimed = stored().getLast();
        assertThat(claimed.metadata().correlationId()).contains(first.commandId().toString());

        bus.dispatch(new Increment("ann", 1), CommandContext.causedBy(claimed));
        RecordedEvent counted = stored().getLast();
        assertThat(counted.metadata().correlationId()).contains(first.commandId().toString());
        assertThat(counted.metadata().causationId()).contains(claimed.eventId().toString());
    }

    @Test
    void aRepeatedCommandIdAnswersTheFirstOutcomeAndWritesNothing() {
        var bus = bus();
        var context = CommandContext.newCommand();
        var first = (CommandResult.Accepted) bus.dispatch(new ClaimName("ann", "orca"), context);

        var again = (CommandResult.Accepted) bus.dispatch(new ClaimName("ann", "orca"), context);

        assertThat(again.repeated()).isTrue();
        assertThat(again.events()).isEqualTo(first.events());
        assertThat(again.position()).isEqualTo(first.position());
        assertThat(stored()).hasSize(1);
        assertThat(bus.dispatch(new ClaimName("ann", "other"), context)).isInstanceOf(CommandResult.CommandIdReused.class);
        assertThat(bus.dispatch(new Increment("c", 1), context)).isInstanceOf(CommandResult.CommandIdReused.class);
        assertThat(stored()).hasSize(1);
    }

    @Test
    void aRepeatIsRecognisedAfterARestart() {
        Path file = directory.resolve("bus.db");
        var context = CommandContext.newCommand();
        CommandResult.Accepted first;
        try (var sqlite = SqliteEventStore.open(file)) {
            first = (CommandResult.Accepted) wiredTo(sqlite, new Names.UniqueNames(), 3).build()
                    .dispatch(new Increment("c", 4), context);
        }
        try (var sqlite = SqliteEventStore.open(file)) {
            var again = (CommandResult.Accepted) wiredTo(sqlite, new Names.UniqueNames(), 3).build()
                    .dispatch(new Increment("c", 4), context);
            assertThat(again.repeated()).isTrue();
            assertThat(again.events()).isEqualTo(first.events());
            assertThat(again.position()).isEqualTo(first.position());
            assertThat(sqlite.readAll(Position.START, 10, EventFilter.ALL)).hasSize(1);
        }
    }

    @Test
    void aMissingOrDuplicateHandlerStopsTheBusFromStarting() {
        var counters = DeciderRepository.builder(store, serializer, new Names.Counter(), NameEvent.class).build();
        CommandHandler<Increment> handler = CommandHandler.stream(counters, command -> Names.counter(command.counterId()));

        assertThatThrownBy(() -> CommandBus.builder().handle(Increment.class, handler).handle(Increment.class, handler).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two handlers for " + Increment.class.getName());
        assertThatThrownBy(() -> CommandBus.builder().handle(Increment.class, handler).expect(ClaimName.class).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no handler for " + ClaimName.class.getName());
        assertThatThrownBy(() -> CommandBus.builder().expect(Runnable.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CommandBus.builder().handle(Increment.class, handler).expect(Increment.class).build().commandTypes())
                .containsExactly(Increment.class);
    }

    @Test
    void aSealedCommandTypeStandsForEveryCommandItPermits() {
        var seen = new ArrayList<Object>();
        var bus = CommandBus.builder()
                .handle(Shape.class, (command, context) -> {
                    seen.add(command);
                    return new CommandHandler.Handled(List.of(), java.util.Optional.empty(), false);
                })
                .expect(Shape.class)
                .build();
        bus.dispatch(new Shape.Circle());
        bus.dispatch(new Shape.Square());
        assertThat(seen).containsExactly(new Shape.Circle(), new Shape.Square());
        assertThat(bus.commandTypes()).containsExactlyInAnyOrder(Shape.Circle.class, Shape.Square.class);
    }

    sealed interface Shape {
        record Circle() implements Shape {
        }

        record Square() implements Shape {
        }
    }

    @Test
    void interceptorsRunInTheOrderAddedAndSeeTheResult() {
        var trace = new ArrayList<String>();
        var bus = wiredTo(store, new Names.UniqueNames(), 3)
                .intercept((command, context, next) -> {
                    trace.add("outer in");
                    CommandResult result = next.proceed(command, context);
                    trace.add("outer out " + result.kind());
                    return result;
                })
                .intercept((command, context, next) -> {
                    trace.add("inner in");
                    return next.proceed(command, context);
                })
                .build();
        bus.dispatch(new Unhandled("x"));
        assertThat(trace).containsExactly("outer in", "inner in", "outer out unknown-command");
    }

    @Test
    void metricsCountEachOutcomeKindAndLoggingPassesResultsAndErrorsThrough() {
        var registry = new SimpleMeterRegistry();
        var bus = wiredTo(store, new Names.UniqueNames(), 3)
                .handle(Unhandled.class, (command, context) -> {
                    throw new IllegalStateException("a bug");
                })
                .intercept(LoggingInterceptor.create())
                .intercept(new MetricsInterceptor(new MicrometerCommandMetrics(registry)))
                .intercept(ValidationInterceptor.create())
                .build();
        bus.dispatch(new ClaimName("ann", "orca"));
        bus.dispatch(new ClaimName("bob", "orca"));
        bus.dispatch(new ClaimName("", "orca"));
        assertThatThrownBy(() -> bus.dispatch(new Unhandled("x"))).hasMessage("a bug");

        assertThat(registry.get(MicrometerCommandMetrics.TIMER).tag("command", "ClaimName").tag("outcome", "accepted").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerCommandMetrics.TIMER).tag("outcome", "rejected").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerCommandMetrics.TIMER).tag("outcome", "invalid").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerCommandMetrics.TIMER).tag("command", "Unhandled").tag("outcome", "error").timer().count()).isEqualTo(1);
    }
}
