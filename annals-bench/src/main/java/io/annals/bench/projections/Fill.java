package io.annals.bench.projections;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.ExpectedVersion;
import io.annals.store.jdbc.JdbcEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The events the benchmark projects: amounts on many streams, written in transactions of a thousand. */
final class Fill {

    static final String TYPE = "AmountAdded";
    static final int STREAMS = 10_000;
    private static final int PER_TRANSACTION = 1_000;
    private static final int PER_STREAM_WRITE = 10;

    private Fill() {
    }

    static String data(long amount) {
        return "{\"amount\":" + amount + "}";
    }

    /** The amount of {@link #data}, read without a JSON parser (the baseline does the same). */
    static long amountOf(String data) {
        int start = data.indexOf(':') + 1;
        int end = data.indexOf('}', start);
        return Long.parseLong(data, start, end, 10);
    }

    static void write(JdbcEventStore store, long events, long seed) {
        var random = new SplittableRandom(seed);
        long written = 0;
        while (written < events) {
            long inThisTransaction = Math.min(PER_TRANSACTION, events - written);
            store.inTransaction(tx -> {
                long left = inThisTransaction;
                while (left > 0) {
                    int count = (int) Math.min(PER_STREAM_WRITE, left);
                    var batch = new ArrayList<EventData>(count);
                    for (int i = 0; i < count; i++) {
                        batch.add(EventData.of(TYPE, data(random.nextLong(1, 1000))));
                    }
                    tx.append(StreamId.of("acct-" + random.nextInt(STREAMS)), ExpectedVersion.any(), List.copyOf(batch));
                    left -= count;
                }
                return null;
            });
            written += inThisTransaction;
        }
    }
}
