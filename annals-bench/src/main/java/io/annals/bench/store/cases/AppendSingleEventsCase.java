package io.annals.bench.store.cases;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.BenchEvents;

/**
 * Clients each append one event per append to a stream of their own, sequentially, stating the
 * expected version: {@code append-1-client} and {@code append-64-clients}. A client moves on to a
 * new stream every {@value #STREAM_LENGTH} events, so streams stay the size of long-lived
 * aggregates rather than growing without bound.
 */
public record AppendSingleEventsCase(String name, int clients) implements StoreCase {

    /** Events per stream before a client starts the next one. */
    public static final int STREAM_LENGTH = 1000;

    public static AppendSingleEventsCase oneClient() {
        return new AppendSingleEventsCase("append-1-client", 1);
    }

    public static AppendSingleEventsCase concurrentClients(int clients) {
        return new AppendSingleEventsCase("append-" + clients + "-clients", clients);
    }

    @Override
    public Unit unit() {
        return Unit.EVENTS_PER_SECOND;
    }

    @Override
    public int connections() {
        return clients;
    }

    @Override
    public int rounds(BenchSettings settings) {
        return settings.rounds();
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof BenchSubject.SingleAppender;
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var appender = (BenchSubject.SingleAppender) subject;
        return ThroughputRunner.eventsPerSecond(clients, settings.warmup(), settings.measure(), (client, iteration) -> {
            appender.appendOne("client-" + client + "-" + iteration / STREAM_LENGTH, iteration % STREAM_LENGTH,
                    BenchEvents.event(iteration * clients + client));
            return 1;
        });
    }
}
