package io.annals.bench.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary directory on local disk; each subject gets a database file of its own in it. */
public final class SqliteBenchDatabase implements BenchDatabase {

    private final Path directory;
    private final String version;

    public SqliteBenchDatabase() {
        try {
            this.directory = Files.createTempDirectory("annals-bench-sqlite");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the SQLite files", e);
        }
        this.version = sqliteVersion();
    }

    @Override
    public String description() {
        return "SQLite " + version + " (files in " + directory + ")";
    }

    public Path directory() {
        return directory;
    }

    public Path freshFile(String caseName, String subjectName) {
        return directory.resolve(SchemaNames.fresh(caseName, subjectName) + ".db");
    }

    public static void deleteFiles(Path databaseFile) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(databaseFile.resolveSibling(databaseFile.getFileName() + suffix));
            } catch (IOException e) {
                System.err.println("could not delete " + databaseFile + suffix + ": " + e.getMessage());
            }
        }
    }

    private static String sqliteVersion() {
        try (var connection = DriverManager.getConnection("jdbc:sqlite::memory:");
             var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT sqlite_version()")) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load SQLite: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
