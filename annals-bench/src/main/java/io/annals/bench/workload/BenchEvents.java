package io.annals.bench.workload;

import io.annals.bench.workload.BenchEvent.FundsDeposited;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Makes the events of a run. The JSON is about 110 bytes, the size of a typical small domain
 * event, and varies with the sequence number so that no layer can cache one document.
 */
public final class BenchEvents {

    public static final String TYPE = "FundsDeposited";

    private BenchEvents() {
    }

    public static BenchEvent event(long sequence) {
        var payload = new FundsDeposited("acc-" + (sequence % 10_000), sequence % 100_000, "EUR",
                "benchmark deposit number " + sequence);
        String json = "{\"accountId\":\"" + payload.accountId() + "\",\"amount\":" + payload.amount()
                + ",\"currency\":\"" + payload.currency() + "\",\"reference\":\"" + payload.reference() + "\"}";
        return new BenchEvent(UUID.randomUUID(), TYPE, payload, json);
    }

    public static List<BenchEvent> events(long firstSequence, int count) {
        var events = new ArrayList<BenchEvent>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(firstSequence + i));
        }
        return events;
    }
}
