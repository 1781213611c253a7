package io.annals.serialization;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Applies upcasters one revision at a time until no upcaster matches the event's shape. */
public final class UpcasterChain {

    private static final int MAX_STEPS = 1_000;

    private final Map<String, Upcaster> byTypeAndRevision = new HashMap<>();

    public UpcasterChain(List<? extends Upcaster> upcasters) {
        for (Upcaster upcaster : upcasters) {
            String key = key(upcaster.eventType(), upcaster.fromRevision());
            if (byTypeAndRevision.putIfAbsent(key, upcaster) != null) {
                throw new IllegalArgumentException("two upcasters read " + upcaster.eventType()
                        + " revision " + upcaster.fromRevision());
            }
        }
    }

    public static UpcasterChain empty() {
        return new UpcasterChain(List.of());
    }

    public SerializedEvent upcast(SerializedEvent event) {
        SerializedEvent current = event;
        for (int step = 0; step < MAX_STEPS; step++) {
            Upcaster upcaster = byTypeAndRevision.get(key(current.type(), current.revision()));
            if (upcaster == null) {
                return current;
            }
            SerializedEvent next = upcaster.upcast(current);
            if (next.type().equals(current.type()) && next.revision() <= current.revision()) {
                throw new IllegalStateException("upcaster for " + current.type() + " revision "
                        + current.revision() + " did not raise the revision");
            }
            current = next;
        }
        throw new IllegalStateException("upcasters for " + event.type() + " form a cycle");
    }

    private static String key(String type, int revision) {
        return type + '#' + revision;
    }
}
