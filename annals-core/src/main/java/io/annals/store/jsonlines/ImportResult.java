package io.annals.store.jsonlines;

/**
 * What an import did.
 *
 * @param eventsWritten events newly stored
 * @param eventsSkipped events the store already held, the same (an import repeated, or resumed after a failure)
 * @param deletions     deletion lines applied (applying one again changes nothing)
 */
public record ImportResult(long eventsWritten, long eventsSkipped, long deletions) {

    public static final ImportResult NONE = new ImportResult(0, 0, 0);

    public ImportResult plus(ImportResult other) {
        return new ImportResult(eventsWritten + other.eventsWritten, eventsSkipped + other.eventsSkipped,
                deletions + other.deletions);
    }

    /** Events read: written and skipped. */
    public long events() {
        return eventsWritten + eventsSkipped;
    }
}
