package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.DeleteMode;
import io.annals.store.EventQuery;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.sqlite.SqliteOpenException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreFileOpeningTest {

    @TempDir
    Path directory;

    @Test
    void aNewFileIsCreatedWithItsDirectoriesInWalModeAndMarkedAsAnAnnalsStore() throws Exception {
        Path file = directory.resolve("annals-data/nested/annals.db");
        try (var store = SqliteEventStore.open(file)) {
            store.append(StreamId.of("a-1"), ExpectedVersion.noStream(), List.of(EventData.of("Made", "{}")));
            assertThat(store.file()).isEqualTo(file.toAbsolutePath());
        }
        // the writer closes last, so the WAL was checkpointed into the file and removed
        assertThat(Path.of(file + "-wal")).doesNotExist();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(connection, "application_id")).isEqualTo(Integer.toString(Migrations.APPLICATION_ID));
            assertThat(pragma(connection, "user_version")).isEqualTo(Integer.toString(Migrations.LATEST_VERSION));
        }
    }

    @Test
    void theWriterRunsWithTheChosenSynchronousMode() throws SQLException {
        for (Synchronous mode : Synchronous.values()) {
            try (var store = SqliteEventStore.builder(directory.resolve("sync-" + mode + ".db")).synchronous(mode).build()) {
                String actual = store.inTransaction(tx -> pragma(tx.connection(), "synchronous"));
                assertThat(actual).isEqualTo(mode == Synchronous.NORMAL ? "1" : "2");
                assertThat(store.synchronous()).isEqualTo(mode);
            }
        }
    }

    @Test
    void anEmptyFileIsTakenAsANewStore() throws IOException {
        Path file = Files.createFile(directory.resolve("empty.db"));
        try (var store = SqliteEventStore.open(file)) {
            assertThat(store.append(StreamId.of("e-1"), ExpectedVersion.noStream(), events(1)).nextExpectedVersion()).isZero();
        }
    }

    @Test
    void aFileOfRandomBytesIsRefusedAsCorruptAndLeftUnchanged() throws Exception {
        Path file = directory.resolve("random.db");
        byte[] bytes = new byte[64 * 1024];
        new Random(42).nextBytes(bytes);
        Files.write(file, bytes);
        String before = digest(file);

        assertThatThrownBy(() -> SqliteEventStore.open(file))
                .isInstanceOfSatisfying(SqliteOpenException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.CORRUPT);
                    assertThat(e.file()).isEqualTo(file.toAbsolutePath());
                })
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("not an SQLite database");
        assertThat(digest(file)).isEqualTo(before);
        assertThat(siblingsOf(file)).containsExactlyInAnyOrder("random.db", "random.db.lock");
    }

    @Test
    void anSqliteFileWithADamagedBodyIsRefusedAsCorruptAndLeftUnchanged() throws Exception {
        Path file = directory.resolve("damaged.db");
        try (var store = SqliteEventStore.open(file)) {
            store.append(StreamId.of("d-1"), ExpectedVersion.noStream(), events(50));
        }
        // keep the 100-byte header, overwrite every page after the first with noise
        byte[] bytes = Files.readAllBytes(file);
        byte[] noise = new byte[bytes.length - 4096];
        new Random(7).nextBytes(noise);
        System.arraycopy(noise, 0, bytes, 4096, noise.length);
        Files.write(file, bytes);
        Files.writeString(directory.resolve("damaged.db.marker"), "x");
        String before = digest(file);

        assertThatThrownBy(() -> {
            try (var store = SqliteEventStore.open(file)) {
                store.readAll(io.annals.event.Position.START, 100);
            }
        }).satisfies(e -> assertThat(e).hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("damaged"));
        assertThat(digest(file)).isEqualTo(before);
    }

    @Test
    void anSqliteDatabaseOfAnotherApplicationIsRefusedAndGetsNoTables() throws Exception {
        Path file = directory.resolve("foreign.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            statement.execute("INSERT INTO customers (name) VALUES ('Ada')");
        }
        String before = digest(file);

        assertThatThrownBy(() -> SqliteEventStore.open(file))
                .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.FOREIGN))
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("another application");
        assertThat(digest(file)).isEqualTo(before);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(tables(connection)).containsExactly("customers");
            assertThat(pragma(connection, "journal_mode")).isEqualTo("delete");
        }
    }

    @Test
    void aVersionOneStoreIsMigratedInPlaceKeepingItsEvents() throws Exception {
        Path file = directory.resolve("v1.db");
        try (var store = SqliteEventStore.open(file)) {
            store.append(StreamId.of("old-1"), ExpectedVersion.noStream(), events(3));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            // back to what version 1 of the schema had: versions 2 and 3 changed only the indexes, 4 added
            // tags, 5 command records, 6 the tables of projections
            statement.execute("DROP TABLE processed_events");
            statement.execute("DROP TABLE projection_dead_letters");
            statement.execute("DROP TABLE projections");
            statement.execute("DROP TABLE projection_checkpoints");
            statement.execute("DROP TABLE command_outcomes");
            statement.execute("DROP VIEW stream_events");
            statement.execute("DROP TABLE stream_index");
            statement.execute("DROP TABLE stream_index_horizon");
            statement.execute("DROP TABLE event_tags");
            statement.execute("ALTER TABLE events DROP COLUMN tags");
            statement.execute("CREATE UNIQUE INDEX events_stream_version ON events (stream_id, version)");
            statement.execute("CREATE UNIQUE INDEX events_stream_event_id ON events (stream_id, event_id)");
            statement.execute("PRAGMA user_version = 1");
        }
        try (var store = SqliteEventStore.open(file)) {
            assertThat(store.readStream(StreamId.of("old-1"), 0, ReadDirection.FORWARD, 10)).hasSize(3);
            assertThat(store.append(StreamId.of("old-1"), ExpectedVersion.exact(2), events(1)).nextExpectedVersion()).isEqualTo(3);
            store.append(StreamId.of("old-2"), ExpectedVersion.noStream(), List.of(EventData.of("Tagged", "{}").withTags(Tag.of("k", "v"))));
            assertThat(store.read(EventQuery.tagged(Tag.of("k", "v")), Position.START, 10).events())
                    .extracting(e -> e.streamId().value()).containsExactly("old-2");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM sqlite_schema "
                     + "WHERE name IN ('events_stream_event_id', 'events_stream_version')), "
                     + "(SELECT group_concat(version) FROM stream_index WHERE stream_id = 'old-1')")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
            assertThat(rows.getString(2)).as("the old events were indexed by the migration, the new one at close")
                    .isEqualTo("0,1,2,3");
            assertThat(pragma(connection, "user_version")).isEqualTo(Integer.toString(Migrations.LATEST_VERSION));
        }
    }

    @Test
    void aStoreWrittenByANewerSchemaIsRefused() throws Exception {
        Path file = directory.resolve("newer.db");
        SqliteEventStore.open(file).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = " + (Migrations.LATEST_VERSION + 1));
        }
        assertThatThrownBy(() -> SqliteEventStore.open(file))
                .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NEWER_SCHEMA))
                .hasMessageContaining("upgrade Annals");
    }

    @Test
    void aPathUnderARegularFileIsRefusedAsNotWritable() throws IOException {
        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "I am a file");
        Path file = notADirectory.resolve("annals.db");

        assertThatThrownBy(() -> SqliteEventStore.open(file))
                .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_WRITABLE))
                .hasMessageContaining(notADirectory.toAbsolutePath().toString())
                .hasMessageContaining("not a directory");
        assertThat(Files.readString(notADirectory)).isEqualTo("I am a file");
    }

    @Test
    void aPathWhoseAncestorIsARegularFileIsRefusedAsNotWritable() throws IOException {
        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x");
        Path file = notADirectory.resolve("deeper/annals.db");

        assertThatThrownBy(() -> SqliteEventStore.open(file))
                .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_WRITABLE))
                .hasMessageContaining("cannot create the directory");
    }

    @Test
    void aDirectoryInPlaceOfTheFileIsRefused() throws IOException {
        Path file = Files.createDirectory(directory.resolve("is-a-directory.db"));
        assertThatThrownBy(() -> SqliteEventStore.open(file))
                .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_WRITABLE))
                .hasMessageContaining("is a directory");
    }

    @Test
    void aSecondStoreReachingTheFileThroughSymbolicLinksIsRefused() throws IOException {
        Path realDirectory = Files.createDirectory(directory.resolve("real"));
        Path file = realDirectory.resolve("store.db");
        Path linkedFile = Files.createSymbolicLink(directory.resolve("link.db"), file);
        Path linkedDirectory = Files.createSymbolicLink(directory.resolve("linked-dir"), realDirectory);
        try (var first = SqliteEventStore.open(file)) {
            for (Path other : List.of(linkedFile, linkedDirectory.resolve("store.db"))) {
                assertThatThrownBy(() -> SqliteEventStore.open(other))
                        .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.LOCKED))
                        .hasMessageContaining(file.toRealPath() + ".lock");
            }
            assertThat(first.file()).isEqualTo(file.toRealPath());
        }
        try (var throughTheLink = SqliteEventStore.open(linkedFile)) {
            assertThat(throughTheLink.file()).isEqualTo(file.toRealPath());
        }
        assertThat(siblingsOf(file)).contains("store.db.lock");
    }

    @Test
    void aSecondStoreOnTheSameFileIsRefusedWhileTheFirstIsOpenAndAllowedAfterItCloses() {
        Path file = directory.resolve("shared.db");
        try (var first = SqliteEventStore.open(file)) {
            first.append(StreamId.of("s-1"), ExpectedVersion.noStream(), events(1));
            assertThatThrownBy(() -> SqliteEventStore.open(file))
                    .isInstanceOfSatisfying(SqliteOpenException.class, e -> assertThat(e.problem()).isEqualTo(Problem.LOCKED))
                    .hasMessageContaining(file.toAbsolutePath() + ".lock");
            // the refused attempt changed nothing for the first store
            assertThat(first.append(StreamId.of("s-1"), ExpectedVersion.exact(0), events(1)).nextExpectedVersion()).isEqualTo(1);
        }
        try (var second = SqliteEventStore.open(file)) {
            assertThat(second.readStream(StreamId.of("s-1"), 0, ReadDirection.FORWARD, 10)).hasSize(2);
        }
    }

    static List<EventData> events(int count) {
        var events = new ArrayList<EventData>();
        for (int i = 0; i < count; i++) {
            events.add(EventData.of("Numbered", "{\"i\":" + i + "}"));
        }
        return events;
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        var names = new ArrayList<String>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static List<String> siblingsOf(Path file) throws IOException {
        try (var files = Files.list(file.getParent())) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String digest(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
