package com.example.users;

/** What a user's events add up to. */
public sealed interface UserState {
    record Unregistered() implements UserState {}
    record Registered(String userId, String email, String name) implements UserState {}
}
