package io.annals.examples.user;

import io.annals.event.StreamId;
import io.annals.serialization.EventTypeRegistry;

/** Wiring facts about the user domain: its event types and its streams. */
public final class UserModule {

    public static final String CATEGORY = "user";

    private UserModule() {
    }

    public static EventTypeRegistry register(EventTypeRegistry registry) {
        return registry.registerSealed(UserEvent.class);
    }

    public static StreamId streamOf(String userId) {
        return StreamId.of(CATEGORY, userId);
    }
}
