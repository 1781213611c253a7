package com.example.users;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.ReadDirection;
import io.annals.store.inmemory.InMemoryEventStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsersTest {

    @Test
    void theGuidesProgramRegistersAnnAndChangesHerEmail() throws InterruptedException {
        try (var store = new InMemoryEventStore()) {
            Users.run(store);

            List<RecordedEvent> stream = store.readStream(StreamId.of("user", "ann"), 0, ReadDirection.FORWARD, 10);
            assertEquals(List.of("UserRegistered", "UserEmailChanged"), stream.stream().map(RecordedEvent::type).toList());
            assertEquals("request-7", stream.get(1).metadata().correlationId().orElseThrow());
        }
    }

    @Test
    void theProgramRunsOnItsOwn() throws InterruptedException {
        Users.main(new String[0]);
    }
}
