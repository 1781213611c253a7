package io.annals.examples.user;

import io.annals.aggregate.AggregateRoot;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserLocked;
import io.annals.examples.user.UserEvent.UserLoggedIn;
import io.annals.examples.user.UserEvent.UserLoginFailed;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.examples.user.UserEvent.UserUnlocked;

/** The seed's user aggregate in the {@link AggregateRoot} style, with the rules the seed left out. */
public final class User extends AggregateRoot<UserEvent> {

    private String id;
    private String email;
    private String name;
    private boolean active;

    /** Registers this (new) user. */
    public void register(String userId, String email, String name) {
        if (id != null) {
            throw new UserException.AlreadyRegistered(id);
        }
        apply(new UserRegistered(userId, new EmailAddress(email).value(), UserNames.validate(name)));
    }

    public void changeEmail(String newEmail) {
        if (id == null) {
            throw new UserException.NotRegistered("(new)");
        }
        String normalized = new EmailAddress(newEmail).value();
        if (normalized.equals(email)) {
            return;
        }
        apply(new UserEmailChanged(id, email, normalized));
    }

    @Override
    protected void when(UserEvent event) {
        switch (event) {
            case UserRegistered registered -> {
                id = registered.userId();
                email = registered.email();
                name = registered.name();
                active = true;
            }
            case UserEmailChanged changed -> email = changed.newEmail();
            case UserLocked locked -> active = false;
            case UserUnlocked unlocked -> active = true;
            case UserLoggedIn login -> {
            }
            case UserLoginFailed failure -> {
            }
        }
    }

    public String id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String name() {
        return name;
    }

    public boolean isActive() {
        return active;
    }
}
