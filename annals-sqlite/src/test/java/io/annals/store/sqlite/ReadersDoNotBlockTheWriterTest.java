package io.annals.store.sqlite;

import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class ReadersDoNotBlockTheWriterTest {

    @TempDir
    Path directory;

    @Test
    void appendsCommitWhileAReaderHoldsAnOpenSnapshot() throws SQLException {
        Path file = directory.resolve("readers.db");
        try (var store = SqliteEventStore.open(file);
             Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            StreamId id = StreamId.of("read-1");
            store.append(id, ExpectedVersion.noStream(), StoreFileOpeningTest.events(1));
            reader.setAutoCommit(false);
            assertThat(count(reader)).isEqualTo(1); // the reader's snapshot starts here

            for (int i = 0; i < 50; i++) {
                store.append(id, ExpectedVersion.exact(i), StoreFileOpeningTest.events(1));
            }

            assertThat(count(reader)).as("the open snapshot still sees the old state").isEqualTo(1);
            reader.commit();
            assertThat(count(reader)).isEqualTo(51);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
