package io.annals.store.jsonlines;

/**
 * What an export wrote.
 *
 * @param events    event lines
 * @param deletions deletion lines
 */
public record ExportResult(long events, long deletions) {
}
