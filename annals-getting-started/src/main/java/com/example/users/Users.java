package com.example.users;

import io.annals.aggregate.CommandContext;
import io.annals.aggregate.DeciderRepository;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.snapshot.SnapshotPolicy;
import io.annals.snapshot.inmemory.InMemorySnapshotStore;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ReadDirection;
import io.annals.store.Subscription;
import io.annals.store.inmemory.InMemoryEventStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public final class Users {

    public static void main(String[] args) throws InterruptedException {
        try (EventStore store = new InMemoryEventStore()) {   // PostgreSQL or SQLite in production
            run(store);
        }
    }

    static void run(EventStore store) throws InterruptedException {
        EventSerializer serializer = new EventSerializer(new EventTypeRegistry().registerSealed(UserEvent.class));
        DeciderRepository<UserCommand, UserState, UserEvent> users =
                DeciderRepository.builder(store, serializer, new UserDecider(), UserEvent.class)
                        .snapshots(new InMemorySnapshotStore(), SnapshotPolicy.everyNEvents(100), UserState.class, "UserState.v1")
                        .build();

        StreamId ann = StreamId.of("user", "ann");
        users.handle(ann, new UserCommand.RegisterUser("ann", "ann@example.com", "Ann"));
        // the caller's id for this command: sending the same command with it again is a retry
        UUID commandId = UUID.randomUUID();
        users.handle(ann, new UserCommand.ChangeEmail("ann", "ann@new.example"), CommandContext.of(commandId, "request-7"));

        List<RecordedEvent> history = store.readStream(ann, 0, ReadDirection.FORWARD, 100);
        history.forEach(event -> System.out.println(event.version() + " " + event.type()));

        var registered = new CountDownLatch(1);
        try (Subscription live = store.subscribeToAll(Position.START, EventFilter.eventTypes("UserRegistered"), event -> {
            System.out.println(event.streamId() + " " + event.type());
            registered.countDown();
        })) {
            // catches up from the start, then delivers new events as they are appended
            registered.await(5, TimeUnit.SECONDS);
        }
    }
}
