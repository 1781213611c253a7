package io.annals.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The first outcome of a command, kept by the store beside the events the command caused, in the
 * same transaction, so that dispatching the command again returns that outcome and writes
 * nothing (see {@code docs/adr/0009-idempotent-commands.md}).
 *
 * @param commandId   the command's id, unique among the records the store keeps
 * @param fingerprint what the command was (a digest of its type and content): tells a repeat of
 *                    the command from another command sent under the same id
 * @param outcome     the command runtime's summary of the outcome; the store keeps it as given
 * @param recordedAt  when it was decided; the record expires a retention after it
 */
public record CommandRecord(UUID commandId, String fingerprint, String outcome, Instant recordedAt) {

    public static final int MAX_FINGERPRINT_LENGTH = 128;
    public static final int MAX_OUTCOME_LENGTH = 16 * 1024;

    public CommandRecord {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (fingerprint.isEmpty() || fingerprint.length() > MAX_FINGERPRINT_LENGTH) {
            throw new IllegalArgumentException("a command's fingerprint has 1 to " + MAX_FINGERPRINT_LENGTH + " characters");
        }
        if (outcome.length() > MAX_OUTCOME_LENGTH) {
            throw new IllegalArgumentException("a command's recorded outcome has at most " + MAX_OUTCOME_LENGTH
                    + " characters, got " + outcome.length());
        }
    }
}
