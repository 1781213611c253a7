package com.example.users;

import io.annals.aggregate.Decider;
import io.annals.aggregate.DomainException;
import java.util.List;

public final class UserDecider implements Decider<UserCommand, UserState, UserEvent> {

    @Override
    public UserState initialState() {
        return new UserState.Unregistered();
    }

    @Override
    public List<UserEvent> decide(UserCommand command, UserState state) {
        return switch (command) {
            case UserCommand.RegisterUser r -> switch (state) {
                case UserState.Unregistered u -> List.of(new UserEvent.UserRegistered(r.userId(), r.email(), r.name()));
                case UserState.Registered u -> throw new DomainException("user-already-registered", "already registered");
            };
            case UserCommand.ChangeEmail c -> switch (state) {
                case UserState.Unregistered u -> throw new DomainException("user-not-found", "no such user");
                case UserState.Registered u -> u.email().equals(c.newEmail())
                        ? List.of()   // nothing changed, nothing happened
                        : List.of(new UserEvent.UserEmailChanged(u.userId(), u.email(), c.newEmail()));
            };
        };
    }

    @Override
    public UserState evolve(UserState state, UserEvent event) {
        return switch (event) {
            case UserEvent.UserRegistered r -> new UserState.Registered(r.userId(), r.email(), r.name());
            case UserEvent.UserEmailChanged c -> state instanceof UserState.Registered u
                    ? new UserState.Registered(u.userId(), c.newEmail(), u.name())
                    : state;
        };
    }
}
