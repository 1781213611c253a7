package io.annals.bench.commands;

import io.annals.store.EventStore;
import java.time.Duration;

/** One way of writing that a commands case measures on a fresh store. */
@FunctionalInterface
interface Workload {

    Figure measure(EventStore store, Duration warmup, Duration measure) throws Exception;
}
