package io.annals.store.sqlite;

import io.annals.store.sqlite.SqliteOpenException.Problem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive operating-system lock on {@code <store file>.lock}, held for as long as the store
 * is open, so that a second process (or a second store in this one) is refused instead of
 * becoming a second writer. The kernel releases it when the process dies, even by {@code kill -9}.
 */
final class StoreFileLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private StoreFileLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFileOf(Path storeFile) {
        return storeFile.resolveSibling(storeFile.getFileName() + ".lock");
    }

    static StoreFileLock acquire(Path storeFile) {
        Path lockFile = lockFileOf(storeFile);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new SqliteOpenException(storeFile, Problem.NOT_WRITABLE,
                    "cannot create the lock file " + lockFile + ": permission denied", e);
        } catch (FileSystemException e) {
            throw new SqliteOpenException(storeFile, Problem.NOT_WRITABLE,
                    "cannot create the lock file " + lockFile + ": " + reason(e), e);
        } catch (IOException e) {
            throw new SqliteOpenException(storeFile, Problem.IO_ERROR,
                    "cannot create the lock file " + lockFile + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                closeQuietly(channel);
                throw new SqliteOpenException(storeFile, Problem.LOCKED,
                        "another process has it open (it holds the lock on " + lockFile
                                + "); stop that process or use another file");
            }
            return new StoreFileLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new SqliteOpenException(storeFile, Problem.LOCKED,
                    "it is already open in this process (lock on " + lockFile + "); close the other store first", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SqliteOpenException(storeFile, Problem.IO_ERROR,
                    "cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock attempt already failed; that failure is what the caller needs to see
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases the lock as well
        }
        closeQuietly(channel);
    }
}
