package io.annals.commands;

import io.annals.event.Position;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@link CommandBus#dispatch} answers: the command was {@link Accepted}, or one of the
 * {@link Failure}s, each a type of its own so that a caller (an HTTP adapter, a saga) can switch
 * over them exhaustively. Nothing was written for a failure.
 */
public sealed interface CommandResult {

    UUID commandId();

    /** A short, stable name of the kind of result, for logs and metrics. */
    String kind();

    /**
     * The command was decided and its events stored.
     *
     * @param events   the events it caused (empty when it changed nothing), in stored order
     * @param position the global position of the last one, empty when nothing was written
     * @param repeated the command id had been dispatched before: this is the first outcome, and
     *                 nothing was written now
     */
    record Accepted(UUID commandId, List<Object> events, Optional<Position> position, boolean repeated)
            implements CommandResult {
        public Accepted {
            Objects.requireNonNull(commandId, "commandId");
            events = List.copyOf(events);
            Objects.requireNonNull(position, "position");
        }

        @Override
        public String kind() {
            return "accepted";
        }
    }

    /** Why the command was not carried out. */
    sealed interface Failure extends CommandResult {
        /** A sentence for people: logs, problem details. */
        String message();
    }

    /** One broken constraint of a command: the property's path ({@code email}, {@code items[2].quantity}) and what is wrong. */
    record Violation(String path, String message) {
        public Violation {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The command is malformed: bean validation failed, or its query or append could not be built. */
    record Invalid(UUID commandId, List<Violation> violations) implements Failure {
        public Invalid {
            Objects.requireNonNull(commandId, "commandId");
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid command has at least one violation");
            }
        }

        @Override
        public String kind() {
            return "invalid";
        }

        @Override
        public String message() {
            var text = new StringBuilder("the command is invalid: ");
            for (int i = 0; i < violations.size(); i++) {
                text.append(i == 0 ? "" : "; ").append(violations.get(i).path()).append(": ").append(violations.get(i).message());
            }
            return text.toString();
        }
    }

    /** The domain refused the command (a {@link io.annals.aggregate.DomainException}): its code and message. */
    record Rejected(UUID commandId, String code, String message) implements Failure {
        @Override
        public String kind() {
            return "rejected";
        }
    }

    /** Other writers kept changing what the decision depended on, through every attempt. Dispatch again later. */
    record Conflicted(UUID commandId, String message) implements Failure {
        @Override
        public String kind() {
            return "conflicted";
        }
    }

    /** No handler is registered for the command's class. */
    record UnknownCommand(UUID commandId, Class<?> commandType) implements Failure {
        @Override
        public String kind() {
            return "unknown-command";
        }

        @Override
        public String message() {
            return "no handler for commands of type " + commandType.getName();
        }
    }

    /** The command id was used by a different command (or by one whose record has expired). */
    record CommandIdReused(UUID commandId, String message) implements Failure {
        @Override
        public String kind() {
            return "command-id-reused";
        }
    }
}
