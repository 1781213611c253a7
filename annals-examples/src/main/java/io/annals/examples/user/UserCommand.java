package io.annals.examples.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a user (or an operator) can ask of the user aggregate. The constraints are checked by the
 * command bus's {@link io.annals.commands.ValidationInterceptor} before a handler runs; the
 * domain still checks its own rules ({@link EmailAddress}, {@link UserNames}).
 */
public sealed interface UserCommand {

    String userId();

    record RegisterUser(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.-]*", message = "letters, digits, '_', '.' and '-' only") String userId,
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 200) String name) implements UserCommand {
    }

    record ChangeEmail(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.-]*", message = "letters, digits, '_', '.' and '-' only") String userId,
            @NotBlank @Size(max = 254) String newEmail) implements UserCommand {
    }

    /** Locks the account: a locked user keeps the address but is shown {@code LOCKED}. Locking a locked user changes nothing. */
    record LockUser(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.-]*", message = "letters, digits, '_', '.' and '-' only") String userId,
            @NotBlank @Size(max = 200) String reason) implements UserCommand {
    }

    /** Unlocks the account; unlocking an active user changes nothing. */
    record UnlockUser(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.-]*", message = "letters, digits, '_', '.' and '-' only") String userId)
            implements UserCommand {
    }
}
