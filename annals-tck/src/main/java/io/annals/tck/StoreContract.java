package io.annals.tck;

import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.EventStore;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A contract suite's store: a fresh one for every test, closed after it, and names scoped to the
 * test run so that tests sharing a database do not see each other's streams and tags.
 */
public abstract class StoreContract<S extends EventStore> {

    /** A fresh, empty store with default limits; called before every test. */
    protected abstract S createStore();

    protected S store;
    protected final String runId = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** A stream of this test run. */
    protected StreamId stream(String name) {
        return StreamId.of(name + "-" + runId);
    }

    /** A tag of this test run. */
    protected Tag tag(String key, String value) {
        return Tag.of(key, value + "-" + runId);
    }
}
