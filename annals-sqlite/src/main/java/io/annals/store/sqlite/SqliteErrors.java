package io.annals.store.sqlite;

import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite failures into the store's exceptions, with the file and the cause in the message. */
final class SqliteErrors {

    private SqliteErrors() {
    }

    static EventStoreClosedException closed(Path file) {
        return new EventStoreClosedException("the SQLite store " + file + " is closed");
    }

    static SQLiteErrorCode codeOf(SQLException e) {
        return e instanceof SQLiteException sqlite ? sqlite.getResultCode() : SQLiteErrorCode.UNKNOWN_ERROR;
    }

    static boolean isUniqueViolation(SQLException e) {
        SQLiteErrorCode code = codeOf(e);
        return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
    }

    static boolean isDiskFull(SQLException e) {
        return codeOf(e) == SQLiteErrorCode.SQLITE_FULL;
    }

    static boolean isCorrupt(SQLException e) {
        SQLiteErrorCode code = codeOf(e);
        return code == SQLiteErrorCode.SQLITE_CORRUPT || code == SQLiteErrorCode.SQLITE_NOTADB
                || code.name().startsWith("SQLITE_CORRUPT");
    }

    static boolean isReadOnly(SQLException e) {
        SQLiteErrorCode code = codeOf(e);
        return code.name().startsWith("SQLITE_READONLY") || code.name().startsWith("SQLITE_CANTOPEN")
                || code == SQLiteErrorCode.SQLITE_PERM;
    }

    /** A failed read or write while the store runs. */
    static EventStoreUnavailableException unavailable(Path file, String action, SQLException e) {
        String problem;
        if (isDiskFull(e)) {
            problem = "the disk is full";
        } else if (isCorrupt(e)) {
            problem = "the file is damaged";
        } else if (isReadOnly(e)) {
            problem = "the file cannot be written";
        } else {
            problem = e.getMessage();
        }
        return new EventStoreUnavailableException("SQLite store " + file + ": " + action + " failed: " + problem, e);
    }

    /** A failure while opening the file, classified for {@link SqliteOpenException}. */
    static SqliteOpenException atOpen(Path file, String action, SQLException e) {
        if (isDiskFull(e)) {
            return new SqliteOpenException(file, SqliteOpenException.Problem.DISK_FULL, action + ": the disk is full", e);
        }
        if (isCorrupt(e)) {
            return new SqliteOpenException(file, SqliteOpenException.Problem.CORRUPT,
                    action + ": the file is not an SQLite database or is damaged (" + e.getMessage() + ")", e);
        }
        if (isReadOnly(e)) {
            return new SqliteOpenException(file, SqliteOpenException.Problem.NOT_WRITABLE,
                    action + ": the file or its directory cannot be written (" + e.getMessage() + ")", e);
        }
        return new SqliteOpenException(file, SqliteOpenException.Problem.IO_ERROR, action + ": " + e.getMessage(), e);
    }
}
