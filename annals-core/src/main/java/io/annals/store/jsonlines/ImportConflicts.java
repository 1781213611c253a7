package io.annals.store.jsonlines;

/**
 * What each store says when a line contradicts what it holds, so that every store refuses the
 * same file with the same words. The rules: an event at a version the stream already has must be
 * the same event (then it is skipped); any other event must continue its stream, which must not
 * be hard-deleted, with an id the stream does not hold yet; a soft deletion may hide only
 * versions the stream has.
 */
public final class ImportConflicts {

    private ImportConflicts() {
    }

    public static InvalidLineException changed(JsonLine.Event line, String difference) {
        return new InvalidLineException(line.number(), "version " + line.version() + " of stream " + line.streamId()
                + " is already stored with different content: " + difference);
    }

    public static InvalidLineException tombstoned(JsonLine line) {
        return new InvalidLineException(line.number(), "stream " + line.streamId() + " is deleted for good (hard delete)");
    }

    public static InvalidLineException gap(JsonLine.Event line, long lastVersion) {
        return new InvalidLineException(line.number(), "version " + line.version() + " of stream " + line.streamId()
                + " does not continue it: the stream ends at version " + lastVersion);
    }

    public static InvalidLineException idStored(JsonLine.Event line) {
        return new InvalidLineException(line.number(), "event id " + line.event().eventId()
                + " is already stored in stream " + line.streamId() + ", at another version");
    }

    public static InvalidLineException hidesMissing(JsonLine.Deletion line, long lastVersion) {
        return new InvalidLineException(line.number(), "the soft deletion of stream " + line.streamId()
                + " hides versions up to " + line.throughVersion() + " but the stream ends at version " + lastVersion);
    }

    /** The line's versions of one stream must follow each other within the file. */
    public static InvalidLineException notFollowing(JsonLine.Event line, long previousVersion) {
        return new InvalidLineException(line.number(), "stream " + line.streamId() + " has version " + line.version()
                + " after version " + previousVersion + "; versions must follow each other");
    }
}
