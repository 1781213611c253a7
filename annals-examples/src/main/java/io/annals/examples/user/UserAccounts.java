package io.annals.examples.user;

import io.annals.aggregate.QueryDecider;
import io.annals.event.StreamId;
import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.LockUser;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserCommand.UnlockUser;
import io.annals.examples.user.UserEvent.UserEmailChanged;
import io.annals.examples.user.UserEvent.UserLocked;
import io.annals.examples.user.UserEvent.UserLoggedIn;
import io.annals.examples.user.UserEvent.UserLoginFailed;
import io.annals.examples.user.UserEvent.UserRegistered;
import io.annals.examples.user.UserEvent.UserUnlocked;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registration and email change with unique addresses, decided over a query (the Dynamic
 * Consistency Boundary): a command reads the events of its user and the events that claimed or
 * freed its address, and its events are appended only if none of those changed meanwhile. Two
 * racing registrations of one address cannot both succeed, which a check against a read model
 * (the seed's {@code findByEmail}) cannot promise; see {@code docs/commands.md}. Locking and
 * unlocking read only the user's registration and locks; no command reads the user's logins.
 */
public final class UserAccounts implements QueryDecider<UserCommand, UserAccounts.Accounts, UserEvent> {

    /**
     * What the query's events tell: the address of each user seen, the owner of each address
     * seen, and the users seen locked. An address freed by a change has no owner.
     */
    public record Accounts(Map<String, String> emailOf, Map<String, String> ownerOf, Set<String> locked) {
        public Accounts {
            emailOf = Map.copyOf(emailOf);
            ownerOf = Map.copyOf(ownerOf);
            locked = Set.copyOf(locked);
        }
    }

    private static final List<String> ADDRESS_EVENTS = List.of("UserRegistered", "UserEmailChanged");
    private static final List<String> LOCK_EVENTS = List.of("UserRegistered", "UserLocked", "UserUnlocked");

    @Override
    public EventQuery query(UserCommand command) {
        String email = switch (command) {
            case RegisterUser register -> register.email();
            case ChangeEmail change -> change.newEmail();
            case LockUser lock -> null;
            case UnlockUser unlock -> null;
        };
        if (email == null) {
            return EventQuery.of(QueryItem.of(LOCK_EVENTS, List.of(UserModule.userTag(command.userId()))));
        }
        return EventQuery.of(
                QueryItem.of(ADDRESS_EVENTS, List.of(UserModule.userTag(command.userId()))),
                QueryItem.of(ADDRESS_EVENTS, List.of(UserModule.emailTag(new EmailAddress(email).value()))));
    }

    @Override
    public StreamId streamOf(UserEvent event) {
        return UserModule.streamOf(event.userId());
    }

    @Override
    public Accounts initialState() {
        return new Accounts(Map.of(), Map.of(), Set.of());
    }

    @Override
    public List<UserEvent> decide(UserCommand command, Accounts accounts) {
        return switch (command) {
            case RegisterUser register -> {
                if (accounts.emailOf().containsKey(register.userId())) {
                    throw new UserException.AlreadyRegistered(register.userId());
                }
                String email = new EmailAddress(register.email()).value();
                if (accounts.ownerOf().containsKey(email)) {
                    throw new UserException.EmailTaken(email);
                }
                yield List.of(new UserRegistered(register.userId(), email, UserNames.validate(register.name())));
            }
            case ChangeEmail change -> {
                String current = accounts.emailOf().get(change.userId());
                if (current == null) {
                    throw new UserException.NotRegistered(change.userId());
                }
                String email = new EmailAddress(change.newEmail()).value();
                if (email.equals(current)) {
                    yield List.of();
                }
                String owner = accounts.ownerOf().get(email);
                if (owner != null && !owner.equals(change.userId())) {
                    throw new UserException.EmailTaken(email);
                }
                yield List.of(new UserEmailChanged(change.userId(), current, email));
            }
            case LockUser lock -> {
                requireRegistered(accounts, lock.userId());
                yield accounts.locked().contains(lock.userId()) ? List.of() : List.of(new UserLocked(lock.userId(), lock.reason()));
            }
            case UnlockUser unlock -> {
                requireRegistered(accounts, unlock.userId());
                yield accounts.locked().contains(unlock.userId()) ? List.of(new UserUnlocked(unlock.userId())) : List.of();
            }
        };
    }

    private static void requireRegistered(Accounts accounts, String userId) {
        if (!accounts.emailOf().containsKey(userId)) {
            throw new UserException.NotRegistered(userId);
        }
    }

    @Override
    public Accounts evolve(Accounts accounts, UserEvent event) {
        var emailOf = new HashMap<>(accounts.emailOf());
        var ownerOf = new HashMap<>(accounts.ownerOf());
        var locked = new HashSet<>(accounts.locked());
        switch (event) {
            case UserRegistered registered -> {
                emailOf.put(registered.userId(), registered.email());
                ownerOf.put(registered.email(), registered.userId());
            }
            case UserEmailChanged changed -> {
                emailOf.put(changed.userId(), changed.newEmail());
                ownerOf.remove(changed.oldEmail(), changed.userId());
                ownerOf.put(changed.newEmail(), changed.userId());
            }
            case UserLocked lockedUser -> locked.add(lockedUser.userId());
            case UserUnlocked unlocked -> locked.remove(unlocked.userId());
            case UserLoggedIn login -> {
            }
            case UserLoginFailed failure -> {
            }
        }
        return new Accounts(emailOf, ownerOf, locked);
    }
}
