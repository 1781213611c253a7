package io.annals.store.sqlite;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The store file could not be opened. Nothing was written to it: a file that is not an Annals
 * store is left exactly as it was.
 */
public final class SqliteOpenException extends RuntimeException {

    /** What is wrong, so that a command line can explain it and choose an exit code. */
    public enum Problem {
        /** Another process (or another store in this process) has the file open. */
        LOCKED,
        /** The file is not an SQLite database, or the database is damaged. */
        CORRUPT,
        /** The file is an SQLite database of some other application. */
        FOREIGN,
        /** The file was written by a newer Annals whose schema this version does not know. */
        NEWER_SCHEMA,
        /** The file or its directory cannot be created or written. */
        NOT_WRITABLE,
        /** The disk (or file system quota) is full. */
        DISK_FULL,
        /** Any other input/output failure. */
        IO_ERROR
    }

    private final Path file;
    private final Problem problem;

    SqliteOpenException(Path file, Problem problem, String message, Throwable cause) {
        super("cannot open Annals store " + file + ": " + message, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    SqliteOpenException(Path file, Problem problem, String message) {
        this(file, problem, message, null);
    }

    public Path file() {
        return file;
    }

    public Problem problem() {
        return problem;
    }
}
