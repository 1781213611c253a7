package io.annals.bench.store;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.db.SchemaNames;
import io.annals.bench.db.SqliteBenchDatabase;
import io.annals.bench.subject.AnnalsStoreOpener;
import io.annals.bench.subject.AppendingImporter;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.subject.JsonLinesRendering;
import io.annals.bench.subject.OpenedStore;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import io.annals.store.sqlite.Synchronous;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Opens the Annals store that lives in the benchmark's database, with its default settings:
 * the figures are what an application gets without tuning.
 */
public final class AnnalsStores {

    /** The SQLite store's durability mode in the benchmark; the raw baseline uses the same. */
    public static final Synchronous SQLITE_SYNCHRONOUS = Synchronous.NORMAL;

    private AnnalsStores() {
    }

    public static AnnalsStoreOpener opener(BenchDatabase database) {
        return switch (database) {
            case PostgresBenchDatabase postgres -> postgres(postgres);
            case SqliteBenchDatabase sqlite -> sqlite(sqlite);
        };
    }

    private static AnnalsStoreOpener postgres(PostgresBenchDatabase database) {
        return (caseName, connections) -> {
            String schema = SchemaNames.fresh(caseName, "annals");
            var store = PostgresEventStore.builder(database.jdbcUrl()).schema(schema).build();
            BenchSubject.BulkImporter importer = chunks -> {
                byte[] lines = JsonLinesRendering.render(chunks).getBytes(StandardCharsets.UTF_8);
                return () -> store.importJsonLines(new ByteArrayInputStream(lines));
            };
            return new OpenedStore(store, importer, out -> store.exportJsonLines(out).events(), () -> {
                store.close();
                database.dropSchema(schema);
            });
        };
    }

    private static AnnalsStoreOpener sqlite(SqliteBenchDatabase database) {
        return (caseName, connections) -> {
            var file = database.freshFile(caseName, "annals");
            var store = SqliteEventStore.builder(file).synchronous(SQLITE_SYNCHRONOUS).build();
            BenchSubject.BulkImporter importer = chunks -> {
                byte[] lines = JsonLinesRendering.render(chunks).getBytes(StandardCharsets.UTF_8);
                return () -> store.importJsonLines(new ByteArrayInputStream(lines));
            };
            return new OpenedStore(store, importer, out -> store.exportJsonLines(out).events(), () -> {
                store.close();
                SqliteBenchDatabase.deleteFiles(file);
            });
        };
    }

    /** The reference store, for checking the harness itself without a database store. */
    public static AnnalsStoreOpener inMemory() {
        return (caseName, connections) -> {
            var store = new InMemoryEventStore();
            return new OpenedStore(store, new AppendingImporter(store, 1), null, store::close);
        };
    }
}
