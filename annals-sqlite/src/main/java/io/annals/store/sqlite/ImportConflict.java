package io.annals.store.sqlite;

/**
 * An imported event that contradicts what the store holds. Carries the event's index in the
 * imported run so that the import can name its line.
 */
final class ImportConflict extends RuntimeException {

    private final int index;

    ImportConflict(int index, String problem) {
        super(problem);
        this.index = index;
    }

    int index() {
        return index;
    }
}
