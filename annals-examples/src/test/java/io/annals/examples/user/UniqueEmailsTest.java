package io.annals.examples.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.aggregate.CommandContext;
import io.annals.commands.CommandBus;
import io.annals.commands.CommandResult;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.QueryReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The user example on the command bus, on real stores (SQLite, PostgreSQL): an email address belongs to one user at a time. */
class UniqueEmailsTest {

    private static final int RACERS = 64;

    @TempDir
    Path directory;

    private final EventSerializer serializer = new EventSerializer(UserModule.register(new EventTypeRegistry()));

    private RealStores stores;

    @BeforeEach
    void stores() {
        stores = new RealStores(directory);
    }

    @AfterEach
    void dropSchemas() {
        stores.dropSchemas();
    }

    private EventStore open(String kind) {
        return stores.open(kind);
    }

    private List<RecordedEvent> claims(EventStore store, String email) {
        return ((QueryReader) store).read(EventQuery.tagged(UserModule.emailTag(email)), Position.START, 1000).events();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "memory"})
    void ofManyRacingRegistrationsOfOneAddressExactlyOneWins(String kind) throws Exception {
        try (EventStore store = open(kind)) {
            CommandBus bus = UserCommands.bus(store, serializer);
            var start = new CountDownLatch(1);
            var results = new ArrayList<Future<CommandResult>>();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < RACERS; i++) {
                    var command = new RegisterUser("user-" + i, "Same@Example.com", "User " + i);
                    results.add(executor.submit(() -> {
                        start.await();
                        return bus.dispatch(command);
                    }));
                }
                start.countDown();
                int accepted = 0;
                for (Future<CommandResult> result : results) {
                    switch (result.get()) {
                        case CommandResult.Accepted a -> accepted++;
                        case CommandResult.Rejected rejected -> assertThat(rejected.code()).isEqualTo("email-taken");
                        case CommandResult.Conflicted conflicted -> { }
                        case CommandResult.Failure other -> throw new AssertionError("unexpected " + other);
                    }
                }
                assertThat(accepted).isEqualTo(1);
            }
            assertThat(claims(store, "same@example.com")).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "memory"})
    void changingAnAddressFreesTheOldOne(String kind) {
        try (EventStore store = open(kind)) {
            CommandBus bus = UserCommands.bus(store, serializer);
            assertThat(bus.dispatch(new RegisterUser("ann", "ann@example.com", "Ann"))).isInstanceOf(CommandResult.Accepted.class);
            assertThat(bus.dispatch(new RegisterUser("bob", "ann@example.com", "Bob"))).isInstanceOf(CommandResult.Rejected.class);

            assertThat(bus.dispatch(new ChangeEmail("ann", "ann@new.example"))).isInstanceOf(CommandResult.Accepted.class);
            assertThat(bus.dispatch(new RegisterUser("bob", "ann@example.com", "Bob"))).isInstanceOf(CommandResult.Accepted.class);
            assertThat(bus.dispatch(new ChangeEmail("bob", "ann@new.example"))).isInstanceOfSatisfying(CommandResult.Rejected.class,
                    rejected -> assertThat(rejected.code()).isEqualTo("email-taken"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void racingChangesToOneAddressLeaveItWithOneOwner(String kind) throws Exception {
        try (EventStore store = open(kind)) {
            CommandBus bus = UserCommands.bus(store, serializer);
            for (int i = 0; i < 16; i++) {
                bus.dispatch(new RegisterUser("u" + i, "u" + i + "@example.com", "U" + i));
            }
            var start = new CountDownLatch(1);
            var results = new ArrayList<Future<CommandResult>>();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 16; i++) {
                    var command = new ChangeEmail("u" + i, "wanted@example.com");
                    results.add(executor.submit(() -> {
                        start.await();
                        return bus.dispatch(command);
                    }));
                }
                start.countDown();
                assertThat(results.stream().map(future -> kindOf(future, CommandResult::kind))).containsOnlyOnce("accepted");
            }
            assertThat(claims(store, "wanted@example.com")).hasSize(1);
        }
    }

    private static String kindOf(Future<CommandResult> future, Function<CommandResult, String> kind) {
        try {
            return kind.apply(future.get());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badInputGetsATypedAnswerAndWritesNothing() {
        try (EventStore store = open("sqlite")) {
            CommandBus bus = UserCommands.bus(store, serializer);
            assertThat(bus.dispatch(new RegisterUser("ann bob", "", "Ann"))).isInstanceOfSatisfying(CommandResult.Invalid.class,
                    invalid -> assertThat(invalid.violations()).extracting(CommandResult.Violation::path)
                            .containsExactly("email", "userId"));
            assertThat(bus.dispatch(new RegisterUser("ann", "not an address", "Ann"))).isInstanceOfSatisfying(CommandResult.Rejected.class,
                    rejected -> assertThat(rejected.code()).isEqualTo("invalid-email"));
            assertThat(bus.dispatch("register ann")).isInstanceOf(CommandResult.UnknownCommand.class);
            assertThat(store.readAll(Position.START, 10, EventFilter.ALL)).isEmpty();
        }
    }

    @Test
    void aRetriedRegistrationIsAnsweredWithTheFirstOutcomeAlsoAfterARestart() {
        var context = CommandContext.newCommand();
        var command = new RegisterUser("ann", "ann@example.com", "Ann");
        CommandResult.Accepted first;
        try (EventStore store = open("sqlite")) {
            first = (CommandResult.Accepted) UserCommands.bus(store, serializer).dispatch(command, context);
        }
        try (EventStore store = open("sqlite")) {
            CommandBus bus = UserCommands.bus(store, serializer);
            CommandResult again = bus.dispatch(command, context);
            assertThat(again).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted -> {
                assertThat(accepted.repeated()).isTrue();
                assertThat(accepted.events()).isEqualTo(first.events());
            });
            assertThat(bus.dispatch(new RegisterUser("ann", "other@example.com", "Ann"), context))
                    .isInstanceOf(CommandResult.CommandIdReused.class);
            assertThat(store.readAll(Position.START, 10, EventFilter.ALL)).hasSize(1);
        }
    }
}
