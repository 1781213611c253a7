package io.annals.examples.user;

import io.annals.event.StreamId;
import io.annals.event.Tag;
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

    /** The tag of every event of a user. */
    public static Tag userTag(String userId) {
        return Tag.of("user", userId);
    }

    /** The tag of every event that claims or frees an address; {@code email} is already normalised. */
    public static Tag emailTag(String email) {
        return Tag.of("email", email);
    }
}
