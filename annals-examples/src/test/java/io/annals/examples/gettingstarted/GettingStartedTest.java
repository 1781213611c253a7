package io.annals.examples.gettingstarted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.aggregate.CommandContext;
import io.annals.aggregate.Decider;
import io.annals.aggregate.DeciderRepository;
import io.annals.aggregate.DomainException;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeName;
import io.annals.serialization.EventTypeRegistry;
import io.annals.serialization.SerializedEvent;
import io.annals.serialization.Upcaster;
import io.annals.serialization.UpcasterChain;
import io.annals.snapshot.SnapshotPolicy;
import io.annals.snapshot.inmemory.InMemorySnapshotStore;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ReadDirection;
import io.annals.store.Subscription;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.testing.DeciderFixture;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The code of docs/getting-started.md, kept compiling and passing so that the page stays true. */
class GettingStartedTest {

    public sealed interface UserEvent {
        record UserRegistered(String userId, String email, String name) implements UserEvent {}
        record UserEmailChanged(String userId, String oldEmail, String newEmail) implements UserEvent {}
    }

    public sealed interface UserCommand {
        record RegisterUser(String userId, String email, String name) implements UserCommand {}
        record ChangeEmail(String userId, String newEmail) implements UserCommand {}
    }

    public sealed interface UserState {
        record Unregistered() implements UserState {}
        record Registered(String userId, String email, String name) implements UserState {}
    }

    public static final class UserDecider implements Decider<UserCommand, UserState, UserEvent> {

        @Override
        public UserState initialState() {
            return new UserState.Unregistered();
        }

        @Override
        public List<UserEvent> decide(UserCommand command, UserState state) {
            return switch (command) {
                case UserCommand.RegisterUser r -> switch (state) {
                    case UserState.Unregistered u -> List.of(new UserEvent.UserRegistered(r.userId(), r.email(), r.name()));
                    case UserState.Registered u -> throw new DomainException("user-already-registered", "already registered");
                };
                case UserCommand.ChangeEmail c -> switch (state) {
                    case UserState.Unregistered u -> throw new DomainException("user-not-found", "no such user");
                    case UserState.Registered u -> u.email().equals(c.newEmail())
                            ? List.of()
                            : List.of(new UserEvent.UserEmailChanged(u.userId(), u.email(), c.newEmail()));
                };
            };
        }

        @Override
        public UserState evolve(UserState state, UserEvent event) {
            return switch (event) {
                case UserEvent.UserRegistered r -> new UserState.Registered(r.userId(), r.email(), r.name());
                case UserEvent.UserEmailChanged c -> state instanceof UserState.Registered u
                        ? new UserState.Registered(u.userId(), c.newEmail(), u.name())
                        : state;
            };
        }
    }

    private final DeciderFixture<UserCommand, UserState, UserEvent> user = DeciderFixture.of(new UserDecider());

    @Test
    void changesTheEmail() {
        user.given(new UserEvent.UserRegistered("u1", "ann@example.com", "Ann"))
            .when(new UserCommand.ChangeEmail("u1", "ann@new.example"))
            .thenEvents(new UserEvent.UserEmailChanged("u1", "ann@example.com", "ann@new.example"));
    }

    @Test
    void refusesASecondRegistration() {
        user.given(new UserEvent.UserRegistered("u1", "ann@example.com", "Ann"))
            .when(new UserCommand.RegisterUser("u1", "x@example.com", "X"))
            .thenError(DomainException.class);
    }

    @Test
    void runsCommandsAgainstAStoreAndFollowsEvents() {
        EventStore store = new InMemoryEventStore();
        EventSerializer serializer = new EventSerializer(new EventTypeRegistry().registerSealed(UserEvent.class));

        DeciderRepository<UserCommand, UserState, UserEvent> users =
                DeciderRepository.builder(store, serializer, new UserDecider(), UserEvent.class)
                        .snapshots(new InMemorySnapshotStore(), SnapshotPolicy.everyNEvents(100), UserState.class, "UserState.v1")
                        .build();

        StreamId ann = StreamId.of("user", "ann");
        UUID commandId = UUID.randomUUID();
        users.handle(ann, new UserCommand.RegisterUser("ann", "ann@example.com", "Ann"));
        users.handle(ann, new UserCommand.ChangeEmail("ann", "ann@new.example"), CommandContext.of(commandId, "request-7"));

        List<RecordedEvent> history = store.readStream(ann, 0, ReadDirection.FORWARD, 100);
        assertThat(history).extracting(RecordedEvent::type).containsExactly("UserRegistered", "UserEmailChanged");

        var seen = new CopyOnWriteArrayList<String>();
        try (Subscription live = store.subscribeToAll(Position.START, EventFilter.eventTypes("UserRegistered"),
                event -> seen.add(event.streamId() + " " + event.type()))) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        }
        assertThat(seen).containsExactly("user-ann UserRegistered");
        store.close();
    }

    @EventTypeName(value = "UserRegistered", revision = 2)
    record UserRegisteredV2(String userId, String email, String displayName) {}

    @Test
    void upcastsOldShapes() {
        Upcaster nameBecameDisplayName = new Upcaster() {
            public String eventType() { return "UserRegistered"; }
            public int fromRevision() { return 1; }
            public SerializedEvent upcast(SerializedEvent old) {
                ObjectNode data = ((ObjectNode) old.data()).deepCopy();
                data.set("displayName", data.remove("name"));
                return new SerializedEvent(old.type(), 2, data);
            }
        };
        var registry = new EventTypeRegistry().register(UserRegisteredV2.class);
        var serializer = new EventSerializer(registry, new UpcasterChain(List.of(nameBecameDisplayName)));

        Object read = serializer.deserialize("UserRegistered", "{\"userId\":\"u1\",\"email\":\"a@b.c\",\"name\":\"Ann\"}",
                io.annals.event.Metadata.EMPTY);
        assertThat(read).isEqualTo(new UserRegisteredV2("u1", "a@b.c", "Ann"));
    }
}
