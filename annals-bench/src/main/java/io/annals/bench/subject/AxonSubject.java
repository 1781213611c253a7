package io.annals.bench.subject;

import com.zaxxer.hikari.HikariDataSource;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.StreamChunk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon Framework 4.13's {@link JdbcEventStorageEngine} with its PostgreSQL table factory, in a
 * schema of its own on the same server. Appends run in a unit of work whose connection commits
 * when the unit of work does, as in an Axon application; payloads are serialized with Jackson.
 * Reads go through the engine's own paths (tracking read for all events, aggregate read for one
 * stream) with a batch size of 1000, the page size every comparator uses, and do not deserialize
 * payloads, as neither Annals nor raw JDBC parse the JSON they return.
 */
public final class AxonSubject implements BenchSubject, BenchSubject.SingleAppender, BenchSubject.BatchAppender,
        BenchSubject.AllEventsScanner, BenchSubject.StreamLoader {

    public static final String NAME = "axon-4.13";
    private static final String AGGREGATE_TYPE = "Account";
    private static final int BATCH_SIZE = 1000;

    private final PostgresBenchDatabase database;
    private final String schema;
    private final HikariDataSource pool;
    private final JdbcEventStorageEngine engine;

    private AxonSubject(PostgresBenchDatabase database, String schema, int connections) {
        this.database = database;
        this.schema = schema;
        this.pool = database.pool(schema, connections, false, Map.of("reWriteBatchedInserts", "true"));
        var serializer = JacksonSerializer.defaultSerializer();
        this.engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(new DataSourceConnectionProvider(pool)))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .batchSize(BATCH_SIZE)
                .build();
        DefaultUnitOfWork.startAndGet(null).execute(() -> engine.createSchema(PostgresEventTableFactory.INSTANCE));
    }

    public static SubjectFactory factory(PostgresBenchDatabase database) {
        return new SubjectFactory() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public BenchSubject open(String caseName, int connections) {
                return new AxonSubject(database, database.createSchema(caseName, "axon"), connections);
            }
        };
    }

    @Override
    public void appendOne(String streamId, long version, BenchEvent event) {
        var message = message(streamId, version, event);
        DefaultUnitOfWork.startAndGet(null).execute(() -> engine.appendEvents(message));
    }

    @Override
    public void appendBatch(StreamChunk chunk) {
        var messages = new ArrayList<DomainEventMessage<?>>(chunk.events().size());
        long version = chunk.firstVersion();
        for (BenchEvent event : chunk.events()) {
            messages.add(message(chunk.streamId(), version++, event));
        }
        DefaultUnitOfWork.startAndGet(null).execute(() -> engine.appendEvents(messages));
    }

    private static DomainEventMessage<?> message(String streamId, long version, BenchEvent event) {
        return new GenericDomainEventMessage<>(AGGREGATE_TYPE, streamId, version, event.payload(),
                MetaData.emptyInstance(), event.eventId().toString(), Instant.now());
    }

    @Override
    public long scanAll(long stopAfter) {
        try (var events = engine.readEvents(null, false)) {
            return events.limit(stopAfter).mapToLong(message -> message.getIdentifier().length() > 0 ? 1 : 0).sum();
        }
    }

    @Override
    public int loadStream(String streamId) {
        int count = 0;
        var events = engine.readEvents(streamId);
        while (events.hasNext()) {
            if (events.next().getSequenceNumber() >= 0) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        pool.close();
        database.dropSchema(schema);
    }

    List<String> tablesForTest() {
        return List.of("domainevententry", "snapshotevententry");
    }
}
