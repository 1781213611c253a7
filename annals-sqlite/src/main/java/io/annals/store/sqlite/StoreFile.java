package io.annals.store.sqlite;

import io.annals.store.sqlite.SqliteOpenException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Opens the store file safely: makes its directory, takes the process lock, refuses files that
 * are not SQLite or not ours before SQLite writes anything, migrates, then switches to WAL.
 */
final class StoreFile {

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** The writer connection of an opened file and the lock that makes it the only one. */
    record Opened(Path file, StoreFileLock lock, Connection writer) {
    }

    private StoreFile() {
    }

    static Opened open(Path requested, Synchronous synchronous) {
        Path file = requested.toAbsolutePath().normalize();
        if (file.toString().contains("?")) {
            throw new IllegalArgumentException("the store file name must not contain '?': " + file);
        }
        prepareDirectory(file);
        file = realPathOf(file);
        StoreFileLock lock = StoreFileLock.acquire(file);
        Connection writer = null;
        try {
            checkExistingFile(file);
            writer = Connections.openWriter(file, synchronous);
            Migrations.identifyAndMigrate(writer, file);
            switchToWal(writer, file);
            writer.setAutoCommit(false);
            return new Opened(file, lock, writer);
        } catch (SQLException e) {
            closeQuietly(writer);
            lock.close();
            throw SqliteErrors.atOpen(file, "opening the database", e);
        } catch (RuntimeException e) {
            closeQuietly(writer);
            lock.close();
            throw e;
        }
    }

    /**
     * The file's path with every symbolic link resolved, so that two names of one file (a link to
     * it, a link to its directory) take the same lock instead of opening two writers on it.
     */
    private static Path realPathOf(Path file) {
        try {
            return Files.exists(file) ? file.toRealPath() : file.getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            throw new SqliteOpenException(file, Problem.IO_ERROR, "cannot resolve its real path: " + e.getMessage(), e);
        }
    }

    private static void prepareDirectory(Path file) {
        Path directory = file.getParent();
        if (directory == null) {
            return;
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new SqliteOpenException(file, Problem.NOT_WRITABLE, directory + " is not a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (FileSystemException e) {
            throw new SqliteOpenException(file, Problem.NOT_WRITABLE, "cannot create the directory " + directory
                    + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()
                    + " " + e.getFile()), e);
        } catch (IOException e) {
            throw new SqliteOpenException(file, Problem.IO_ERROR, "cannot create the directory " + directory
                    + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(directory)) {
            throw new SqliteOpenException(file, Problem.NOT_WRITABLE, "the directory " + directory + " is not writable");
        }
    }

    /** Refuses a file that is not SQLite before SQLite gets the chance to touch it. */
    private static void checkExistingFile(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new SqliteOpenException(file, Problem.NOT_WRITABLE, "it is a directory");
        }
        if (!Files.isWritable(file)) {
            throw new SqliteOpenException(file, Problem.NOT_WRITABLE, "the file is not writable");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(SQLITE_HEADER.length);
            if (header.length == 0) {
                return; // an empty file is an empty database
            }
            if (!Arrays.equals(header, SQLITE_HEADER)) {
                throw new SqliteOpenException(file, Problem.CORRUPT,
                        "the file is not an SQLite database (it does not start with the SQLite header); it was left unchanged");
            }
        } catch (IOException e) {
            throw new SqliteOpenException(file, Problem.IO_ERROR, "cannot read the file: " + e.getMessage(), e);
        }
    }

    private static void switchToWal(Connection writer, Path file) throws SQLException {
        try (Statement statement = writer.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA journal_mode = WAL")) {
            String mode = rows.next() ? rows.getString(1) : "";
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SqliteOpenException(file, Problem.IO_ERROR,
                        "the file system does not support WAL mode (journal mode stayed '" + mode + "')");
            }
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing useful to do: the connection is being abandoned after another failure
        }
    }
}
