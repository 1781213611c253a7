package io.annals.examples.user;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.annals.examples.user.UserCommand.LockUser;
import io.annals.examples.user.UserCommand.UnlockUser;
import io.annals.sagas.process.ProcessManager;
import io.annals.sagas.process.Reaction;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeName;
import io.annals.serialization.SerializationException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user example's process manager: suspicious activity locks the account, tells the user
 * through the outbox, and unlocks the account after {@code lockFor}; more suspicious activity
 * while locked pushes the unlock back. The lock and the unlock are user commands
 * ({@link LockUser}, {@link UnlockUser}); the notice is a message to destination
 * {@value #NOTIFICATIONS}, whose delivery is retried on its own, so a failing notice never
 * undoes or holds back the lock.
 * <p>
 * The notice answers the {@code UserLocked} event, not the alert: the lock command can be
 * refused (an alert about a user id that was never registered, from logins appended straight to
 * the store) or change nothing (the account was locked already), and then no one is told of a
 * lock that did not happen.
 */
public record AccountGuard(Duration lockFor) implements ProcessManager<AccountGuard.State, AccountGuard.Input> {

    public static final String NAME = "account_guard";
    /** The outbox destination of the notices to users. */
    public static final String NOTIFICATIONS = "notifications";
    /** The notice's message type. */
    public static final String ACCOUNT_LOCKED = "AccountLocked";

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public AccountGuard {
        Objects.requireNonNull(lockFor, "lockFor");
        if (lockFor.isNegative() || lockFor.isZero()) {
            throw new IllegalArgumentException("the lock must last a positive time, got " + lockFor);
        }
    }

    public sealed interface Input {
        String userId();
    }

    /** The match event CEP writes for the pattern {@value UserPatterns#SUSPICIOUS}: its key is the user id. */
    @EventTypeName("SuspiciousUserActivityDetected")
    public record SuspiciousUserActivityDetected(String key, String pattern) implements Input {
        @Override
        public String userId() {
            return key;
        }
    }

    /** The user's {@code UserLocked} event: the lock this guard asked for happened. */
    @EventTypeName("UserLocked")
    public record Locked(String userId) implements Input {
    }

    /** The deadline that ends a lock. */
    @EventTypeName("AccountUnlockDue")
    public record UnlockDue(String userId) implements Input {
    }

    public record State(boolean locked, int alerts) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    /** One instance per user; a key that cannot be a user id (an event appended by hand) is ignored. */
    @Override
    public Optional<String> correlate(Input event) {
        return Optional.ofNullable(event.userId()).filter(id -> USER_ID.matcher(id).matches());
    }

    @Override
    public State initialState() {
        return new State(false, 0);
    }

    @Override
    public State evolve(State state, Input event) {
        return switch (event) {
            case SuspiciousUserActivityDetected detected -> new State(true, state.alerts() + 1);
            case Locked locked -> state;
            case UnlockDue due -> new State(false, state.alerts());
        };
    }

    @Override
    public Reaction<Input> react(State state, Input event) {
        return switch (event) {
            case SuspiciousUserActivityDetected detected when state.locked() ->
                    Reaction.<Input>none().schedule("unlock", lockFor, new UnlockDue(detected.userId()));
            case SuspiciousUserActivityDetected detected -> Reaction.<Input>none()
                    .send(new LockUser(detected.userId(), "suspicious activity: " + detected.pattern()))
                    .schedule("unlock", lockFor, new UnlockDue(detected.userId()));
            // a lock the guard did not ask for (or one after its unlock) is not its to announce
            case Locked locked when state.locked() -> Reaction.<Input>none()
                    .notify(NOTIFICATIONS, ACCOUNT_LOCKED, notice(locked.userId()));
            case Locked locked -> Reaction.none();
            case UnlockDue due -> Reaction.<Input>none().send(new UnlockUser(due.userId()));
        };
    }

    /** What the notice says: whose account, and for how long. */
    private record Notice(String userId, String lockedFor) {
    }

    private String notice(String userId) {
        try {
            return EventSerializer.defaultMapper().writeValueAsString(new Notice(userId, lockFor.toString()));
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write the notice for user " + userId, e);
        }
    }
}
