package io.annals.examples.user;

import io.annals.aggregate.DomainException;

/** The rules a user command can break. */
public sealed class UserException extends DomainException {

    private UserException(String code, String message) {
        super(code, message);
    }

    public static final class InvalidEmail extends UserException {
        public InvalidEmail(String message) {
            super("invalid-email", message);
        }
    }

    public static final class InvalidName extends UserException {
        public InvalidName(String message) {
            super("invalid-name", message);
        }
    }

    public static final class AlreadyRegistered extends UserException {
        public AlreadyRegistered(String userId) {
            super("user-already-registered", "user " + userId + " is already registered");
        }
    }

    public static final class EmailTaken extends UserException {
        public EmailTaken(String email) {
            super("email-taken", "the email address " + email + " belongs to another user");
        }
    }

    public static final class NotRegistered extends UserException {
        public NotRegistered(String userId) {
            super("user-not-found", "user " + userId + " is not registered");
        }
    }
}
