package io.annals.bench.workload;

import io.annals.bench.workload.BenchEvent.FundsDeposited;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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
        return new BenchEvent(randomId(), TYPE, payload, json);
    }

    /**
     * A random (version 4) UUID from the client thread's own generator. {@link UUID#randomUUID()}
     * draws from one synchronized SecureRandom, which 64 clients on 2 cores contend for: it cost
     * about 5% of the machine in a profile of append-64-clients, CPU taken from whatever is
     * measured. Ids need to be unique here, not unguessable.
     */
    static UUID randomId() {
        var random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    public static List<BenchEvent> events(long firstSequence, int count) {
        var events = new ArrayList<BenchEvent>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(firstSequence + i));
        }
        return events;
    }
}
