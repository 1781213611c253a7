package io.annals.examples.user;

import io.annals.serialization.EventTypeName;

/** What can happen to a user. */
public sealed interface UserEvent {

    String userId();

    @EventTypeName("UserRegistered")
    record UserRegistered(String userId, String email, String name) implements UserEvent {
    }

    @EventTypeName("UserEmailChanged")
    record UserEmailChanged(String userId, String oldEmail, String newEmail) implements UserEvent {
    }
}
