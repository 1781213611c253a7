package io.annals.bench.workload;

import java.util.UUID;

/**
 * One event as every comparator writes it: the same id, type and content. Annals and raw JDBC
 * store {@link #json()}; Axon serializes {@link #payload()} with Jackson to the same document.
 */
public record BenchEvent(UUID eventId, String type, FundsDeposited payload, String json) {

    /** The domain event the benchmark writes. */
    public record FundsDeposited(String accountId, long amount, String currency, String reference) {
    }
}
