package io.annals.aggregate;

import java.util.UUID;

/**
 * A command arrived under an id that an earlier, different command already used, so it was
 * refused and nothing was written: a command id names one command, and sending it again is a
 * retry of that command only.
 */
public final class CommandIdReusedException extends RuntimeException {

    private final UUID commandId;

    public CommandIdReusedException(UUID commandId, String message) {
        super(message);
        this.commandId = commandId;
    }

    public UUID commandId() {
        return commandId;
    }
}
