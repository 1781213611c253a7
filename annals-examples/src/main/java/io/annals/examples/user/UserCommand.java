package io.annals.examples.user;

/** What a user (or an operator) can ask of the user aggregate. */
public sealed interface UserCommand {

    String userId();

    record RegisterUser(String userId, String email, String name) implements UserCommand {
    }

    record ChangeEmail(String userId, String newEmail) implements UserCommand {
    }
}
