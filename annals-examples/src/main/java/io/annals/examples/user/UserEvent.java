package io.annals.examples.user;

import io.annals.event.Tag;
import io.annals.event.Tagged;
import io.annals.serialization.EventTypeName;
import java.util.Set;

/**
 * What can happen to a user. Every event is tagged with its user ({@code user:<id>}) and with
 * each email address it claims or frees ({@code email:<normalised address>}), so that a decision
 * about an address can read exactly the events that concern it (see {@link UserAccounts}).
 * Logins are facts reported from outside ({@link UserLogins}): nothing is decided on them but
 * the alert that a pattern of failures raises.
 */
public sealed interface UserEvent extends Tagged {

    String userId();

    @EventTypeName("UserRegistered")
    record UserRegistered(String userId, String email, String name) implements UserEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(UserModule.userTag(userId), UserModule.emailTag(email));
        }
    }

    @EventTypeName("UserEmailChanged")
    record UserEmailChanged(String userId, String oldEmail, String newEmail) implements UserEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(UserModule.userTag(userId), UserModule.emailTag(oldEmail), UserModule.emailTag(newEmail));
        }
    }

    @EventTypeName("UserLocked")
    record UserLocked(String userId, String reason) implements UserEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(UserModule.userTag(userId));
        }
    }

    @EventTypeName("UserUnlocked")
    record UserUnlocked(String userId) implements UserEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(UserModule.userTag(userId));
        }
    }

    @EventTypeName("UserLoggedIn")
    record UserLoggedIn(String userId) implements UserEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(UserModule.userTag(userId));
        }
    }

    @EventTypeName("UserLoginFailed")
    record UserLoginFailed(String userId) implements UserEvent {
        @Override
        public Set<Tag> tags() {
            return Set.of(UserModule.userTag(userId));
        }
    }
}
