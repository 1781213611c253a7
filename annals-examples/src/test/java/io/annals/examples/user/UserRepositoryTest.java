package io.annals.examples.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.aggregate.AggregateRootRepository;
import io.annals.aggregate.CommandContext;
import io.annals.aggregate.CommandOutcome;
import io.annals.aggregate.DeciderRepository;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserState.Registered;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotPolicy;
import io.annals.snapshot.inmemory.InMemorySnapshotStore;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.inmemory.InMemoryEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserRepositoryTest {

    private final EventStore store = new InMemoryEventStore();
    private final EventSerializer serializer = new EventSerializer(UserModule.register(new EventTypeRegistry()));
    private final StreamId ann = UserModule.streamOf("ann");

    @AfterEach
    void close() {
        store.close();
    }

    private DeciderRepository<UserCommand, UserState, UserEvent> repository() {
        return DeciderRepository.builder(store, serializer, new UserDecider(), UserEvent.class).build();
    }

    @Test
    void storesEventsWithCorrelationAndCausationFromTheCommand() {
        var context = CommandContext.of(UUID.randomUUID(), "request-7");
        repository().handle(ann, new RegisterUser("ann", "ann@example.com", "Ann"), context);

        RecordedEvent recorded = store.readStream(ann, 0, ReadDirection.FORWARD, 10).getFirst();
        assertThat(recorded.type()).isEqualTo("UserRegistered");
        assertThat(recorded.metadata().correlationId()).contains("request-7");
        assertThat(recorded.metadata().causationId()).contains(context.commandId().toString());
        assertThat(recorded.eventId()).isEqualTo(context.eventId(0));
    }

    @Test
    void loadsStateFromTheStoreAndAppendsWithTheLoadedVersion() {
        var users = repository();
        users.handle(ann, new RegisterUser("ann", "ann@example.com", "Ann"));
        CommandOutcome<UserState, UserEvent> outcome = users.handle(ann, new ChangeEmail("ann", "ann@new.example"));

        assertThat(outcome.events()).containsExactly(new UserEmailChanged("ann", "ann@example.com", "ann@new.example"));
        assertThat(outcome.version()).isEqualTo(1);
        assertThat(users.load(ann).state()).isEqualTo(new Registered("ann", "ann@new.example", "Ann", true));
    }

    @Test
    void aCommandThatChangesNothingWritesNothing() {
        var users = repository();
        users.handle(ann, new RegisterUser("ann", "ann@example.com", "Ann"));
        CommandOutcome<UserState, UserEvent> outcome = users.handle(ann, new ChangeEmail("ann", "ann@example.com"));
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.position()).isEmpty();
        assertThat(store.readStream(ann, 0, ReadDirection.FORWARD, 10)).hasSize(1);
    }

    @Test
    void racingRegistrationsOfOneUserHaveExactlyOneWinner() throws Exception {
        var users = repository();
        var outcomes = new ArrayList<Future<String>>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var start = new CountDownLatch(1);
            for (int i = 0; i < 16; i++) {
                String email = "ann" + i + "@example.com";
                outcomes.add(executor.submit(() -> {
                    start.await();
                    try {
                        users.handle(ann, new RegisterUser("ann", email, "Ann"));
                        return "won";
                    } catch (UserException.AlreadyRegistered e) {
                        return "refused";
                    }
                }));
            }
            start.countDown();
            var results = new ArrayList<String>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertThat(results).containsOnlyOnce("won").filteredOn("refused"::equals).hasSize(15);
        }
        assertThat(store.readStream(ann, 0, ReadDirection.FORWARD, 100)).hasSize(1);
    }

    @Test
    void concurrentEmailChangesAreAllAppliedThroughConflictRetries() throws Exception {
        var users = DeciderRepository.builder(store, serializer, new UserDecider(), UserEvent.class).maxAttempts(50).build();
        users.handle(ann, new RegisterUser("ann", "ann@example.com", "Ann"));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 8; i++) {
                String email = "ann" + i + "@example.com";
                futures.add(executor.submit(() -> users.handle(ann, new ChangeEmail("ann", email))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        List<RecordedEvent> events = store.readStream(ann, 0, ReadDirection.FORWARD, 100);
        assertThat(events).hasSize(9);
        // every change saw the email the previous one left: the history is one chain
        for (int i = 2; i < events.size(); i++) {
            var previous = (UserEmailChanged) serializer.deserialize(events.get(i - 1));
            var current = (UserEmailChanged) serializer.deserialize(events.get(i));
            assertThat(current.oldEmail()).isEqualTo(previous.newEmail());
        }
    }

    @Test
    void givesUpAfterTheConfiguredNumberOfConflicts() {
        // a decider that appends behind the repository's back on every decision forces a conflict each time
        var decider = new UserDecider();
        var interfering = new io.annals.aggregate.Decider<UserCommand, UserState, UserEvent>() {
            @Override
            public UserState initialState() {
                return decider.initialState();
            }

            @Override
            public UserState evolve(UserState state, UserEvent event) {
                return decider.evolve(state, event);
            }

            @Override
            public List<UserEvent> decide(UserCommand command, UserState state) {
                List<UserEvent> events = decider.decide(command, state);
                store.append(ann, ExpectedVersion.any(), List.of(serializer.serialize(
                        new UserEmailChanged("ann", "x@example.com", "y@example.com"), Metadata.EMPTY)));
                return events;
            }
        };
        store.append(ann, ExpectedVersion.noStream(), List.of(serializer.serialize(
                new UserEvent.UserRegistered("ann", "ann@example.com", "Ann"), Metadata.EMPTY)));
        var users = DeciderRepository.builder(store, serializer, interfering, UserEvent.class).maxAttempts(3).build();

        assertThatThrownBy(() -> users.handle(ann, new ChangeEmail("ann", "new@example.com")))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.readStream(ann, 0, ReadDirection.FORWARD, 100)).hasSize(1 + 3);
    }

    @Test
    void snapshotsEveryNEventsAndLoadsFromTheSnapshotPlusLaterEvents() {
        var snapshots = new InMemorySnapshotStore();
        var users = DeciderRepository.builder(store, serializer, new UserDecider(), UserEvent.class)
                .snapshots(snapshots, SnapshotPolicy.everyNEvents(3), UserState.class, "UserState.v1")
                .build();
        users.handle(ann, new RegisterUser("ann", "ann@example.com", "Ann"));
        users.handle(ann, new ChangeEmail("ann", "a1@example.com"));
        assertThat(snapshots.load(ann)).isEmpty();
        users.handle(ann, new ChangeEmail("ann", "a2@example.com"));
        assertThat(snapshots.load(ann)).get().extracting(Snapshot::version).isEqualTo(2L);
        users.handle(ann, new ChangeEmail("ann", "a3@example.com"));

        // prove the snapshot is used: doctor it, and the load reflects the doctored state plus the later event
        snapshots.save(new Snapshot(ann, 2, "UserState.v1",
                serializer.toJson(new Registered("ann", "a2@example.com", "From Snapshot", true)), java.time.Instant.now()));
        DeciderRepository.Loaded<UserState> loaded = users.load(ann);
        assertThat(loaded.version()).isEqualTo(3);
        assertThat(loaded.state()).isEqualTo(new Registered("ann", "a3@example.com", "From Snapshot", true));
    }

    @Test
    void ignoresSnapshotsOfAnotherStateShape() {
        var snapshots = new InMemorySnapshotStore();
        var users = DeciderRepository.builder(store, serializer, new UserDecider(), UserEvent.class)
                .snapshots(snapshots, SnapshotPolicy.never(), UserState.class, "UserState.v2")
                .build();
        users.handle(ann, new RegisterUser("ann", "ann@example.com", "Ann"));
        snapshots.save(new Snapshot(ann, 0, "UserState.v1", "{\"kind\":\"Registered\",\"name\":\"Old\"}", java.time.Instant.now()));
        assertThat(users.load(ann).state()).isEqualTo(new Registered("ann", "ann@example.com", "Ann", true));
    }

    @Test
    void theAggregateRootStyleWorksOverTheSameStore() {
        var users = new AggregateRootRepository<>(store, serializer, User::new, UserEvent.class);
        users.execute(ann, user -> user.register("ann", "ann@example.com", "Ann"));
        CommandOutcome<User, UserEvent> outcome = users.execute(ann, user -> user.changeEmail("ann@new.example"));

        assertThat(outcome.version()).isEqualTo(1);
        assertThat(outcome.state().version()).isEqualTo(1);
        assertThat(outcome.state().uncommittedEvents()).isEmpty();
        assertThat(users.load(ann).email()).isEqualTo("ann@new.example");
        // both styles read the same stream
        assertThat(repository().load(ann).state()).isEqualTo(new Registered("ann", "ann@new.example", "Ann", true));
    }

    @Test
    void theAggregateRootStyleRetriesOnConflict() throws Exception {
        var users = new AggregateRootRepository<>(store, serializer, User::new, UserEvent.class, 50);
        users.execute(ann, user -> user.register("ann", "ann@example.com", "Ann"));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < 8; i++) {
                String email = "ann" + i + "@example.com";
                futures.add(executor.submit(() -> users.execute(ann, user -> user.changeEmail(email))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        assertThat(users.load(ann).version()).isEqualTo(8);
    }
}
