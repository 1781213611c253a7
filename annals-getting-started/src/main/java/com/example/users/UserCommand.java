package com.example.users;

/** What a user may be asked to do. */
public sealed interface UserCommand {
    record RegisterUser(String userId, String email, String name) implements UserCommand {}
    record ChangeEmail(String userId, String newEmail) implements UserCommand {}
}
