package io.annals.examples.user;

import io.annals.aggregate.Decider;
import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.examples.user.UserState.Registered;
import io.annals.examples.user.UserState.Unregistered;
import java.util.List;

/** The seed's user aggregate as a decider: pure functions over sealed records. */
public final class UserDecider implements Decider<UserCommand, UserState, UserEvent> {

    @Override
    public UserState initialState() {
        return new Unregistered();
    }

    @Override
    public List<UserEvent> decide(UserCommand command, UserState state) {
        return switch (command) {
            case RegisterUser register -> switch (state) {
                case Unregistered u -> List.of(new UserRegistered(register.userId(),
                        new EmailAddress(register.email()).value(), UserNames.validate(register.name())));
                case Registered r -> throw new UserException.AlreadyRegistered(r.userId());
            };
            case ChangeEmail change -> switch (state) {
                case Unregistered u -> throw new UserException.NotRegistered(change.userId());
                case Registered user -> {
                    String newEmail = new EmailAddress(change.newEmail()).value();
                    yield newEmail.equals(user.email())
                            ? List.of()
                            : List.of(new UserEmailChanged(user.userId(), user.email(), newEmail));
                }
            };
        };
    }

    @Override
    public UserState evolve(UserState state, UserEvent event) {
        return switch (event) {
            case UserRegistered registered -> new Registered(registered.userId(), registered.email(), registered.name(), true);
            case UserEmailChanged changed -> switch (state) {
                case Registered user -> new Registered(user.userId(), changed.newEmail(), user.name(), user.active());
                case Unregistered u -> throw new IllegalStateException("email changed for unregistered user " + changed.userId());
            };
        };
    }
}
