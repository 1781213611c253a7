package com.example.users;

/** What happened to a user. The stored type name is the simple class name (UserRegistered). */
public sealed interface UserEvent {
    record UserRegistered(String userId, String email, String name) implements UserEvent {}
    record UserEmailChanged(String userId, String oldEmail, String newEmail) implements UserEvent {}
}
