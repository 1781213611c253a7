package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotStore;
import io.annals.store.EventStoreClosedException;
import java.time.Instant;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.SnapshotStoreContractTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSnapshotStoreContractTest extends SnapshotStoreContractTest {

    private final TestPostgres postgres = TestPostgres.get();
    private final SchemaName schema = SchemaName.of(postgres.freshSchema("snapshots"));
    private DataSource dataSource;

    @Override
    protected SnapshotStore createSnapshotStore() {
        if (dataSource == null) {
            var simple = new PGSimpleDataSource();
            simple.setURL(postgres.jdbcUrl());
            dataSource = simple;
            return PostgresSnapshotStore.create(dataSource, schema);
        }
        postgres.emptySchema(schema.value());
        return new PostgresSnapshotStore(dataSource, schema);
    }

    @Test
    void theSnapshotsOfAClosedEventStoreAnswerThatTheStoreIsClosed() {
        SchemaName own = SchemaName.of(postgres.freshSchema("closed_snapshots"));
        try {
            var store = PostgresEventStore.builder(postgres.jdbcUrl()).schema(own.value()).maxPoolSize(2).build();
            SnapshotStore snapshots = store.snapshots();
            store.close();

            StreamId stream = StreamId.of("closed");
            assertThatThrownBy(() -> snapshots.load(stream)).isInstanceOf(EventStoreClosedException.class);
            assertThatThrownBy(() -> snapshots.save(new Snapshot(stream, 1, "S", "{}", Instant.now())))
                    .isInstanceOf(EventStoreClosedException.class);
        } finally {
            postgres.dropSchema(own.value());
        }
    }

    @AfterAll
    void dropSchema() {
        postgres.dropSchema(schema.value());
    }
}
