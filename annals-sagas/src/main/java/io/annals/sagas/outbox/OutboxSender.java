package io.annals.sagas.outbox;

/** Delivers outbox messages of one destination. Throwing means "not delivered": the relay tries again. */
@FunctionalInterface
public interface OutboxSender {

    void send(OutboxMessage message) throws Exception;
}
