package io.annals.examples.user;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The user aggregate's state as the decider folds it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(UserState.Unregistered.class), @JsonSubTypes.Type(UserState.Registered.class)})
public sealed interface UserState {

    record Unregistered() implements UserState {
    }

    record Registered(String userId, String email, String name, boolean active) implements UserState {
    }
}
