package io.annals.sagas.process;

import java.time.Duration;
import java.util.Optional;

/**
 * The user example's process manager: suspicious activity locks the account, tells the user
 * through the outbox, and unlocks the account after a while; more suspicious activity while
 * locked pushes the unlock back.
 */
public record AccountGuard(Duration lockFor) implements ProcessManager<AccountGuard.State, AccountGuard.Input> {

    public sealed interface Input {
        String userId();
    }

    /** The match event CEP writes for the pattern {@code SuspiciousUserActivity}: its key is the user id. */
    public record SuspiciousUserActivityDetected(String key, String pattern) implements Input {
        @Override
        public String userId() {
            return key;
        }
    }

    public record UnlockDue(String userId) implements Input {
    }

    public record LockAccount(String userId, String reason) {
    }

    public record UnlockAccount(String userId) {
    }

    public record State(boolean locked, int alerts) {
    }

    @Override
    public String name() {
        return "account_guard";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public Optional<String> correlate(Input event) {
        return Optional.of(event.userId());
    }

    @Override
    public State initialState() {
        return new State(false, 0);
    }

    @Override
    public State evolve(State state, Input event) {
        return switch (event) {
            case SuspiciousUserActivityDetected detected -> new State(true, state.alerts() + 1);
            case UnlockDue due -> new State(false, state.alerts());
        };
    }

    @Override
    public Reaction<Input> react(State state, Input event) {
        return switch (event) {
            case SuspiciousUserActivityDetected(String userId, String reason) when state.locked() ->
                    Reaction.<Input>none().schedule("unlock", lockFor, new UnlockDue(userId));
            case SuspiciousUserActivityDetected(String userId, String reason) -> Reaction.<Input>none()
                    .send(new LockAccount(userId, reason))
                    .notify("email", "AccountLocked", "{\"userId\":\"" + userId + "\"}")
                    .schedule("unlock", lockFor, new UnlockDue(userId));
            case UnlockDue(String userId) -> Reaction.<Input>none().send(new UnlockAccount(userId));
        };
    }
}
