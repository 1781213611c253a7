package io.annals.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A store that keeps the first outcome of each command beside the events the command caused,
 * written in the same transaction as those events (see {@code docs/adr/0009-idempotent-commands.md}).
 * The command runtime ({@link io.annals.aggregate.DeciderRepository},
 * {@link io.annals.aggregate.QueryDeciderRepository}) uses it to make a command id a safe retry
 * key: a repeat returns the first outcome and appends nothing, also after a restart.
 */
public interface CommandLog {

    /**
     * Writes {@code record} and, when present, {@code append} (with the checks of
     * {@link ConditionalAppender#append}) in one transaction. When the store already holds a
     * record of the same command id recorded at or after {@code expiredBefore}, writes nothing
     * and answers that record instead; an older record of the id has expired and is replaced.
     * The lookup comes first: a repeat is answered even when its append would now fail.
     *
     * <p>The append is never taken for a retry: its event ids derive from the command id, so
     * stored ones mean the id was used before, by a record that has expired since, and the
     * append is refused with {@link DuplicateEventException}. (A retry after a lost answer finds
     * the record, written in the same transaction, instead.)
     *
     * @throws EventStoreException as {@link ConditionalAppender#append} does (a wrong expected
     *                             version, a failed condition...); then nothing was written
     */
    CommandRecording record(CommandRecord record, Optional<Append> append, Instant expiredBefore);

    /** Deletes the records recorded before {@code recordedBefore}; returns how many it deleted. */
    long expire(Instant recordedBefore);
}
