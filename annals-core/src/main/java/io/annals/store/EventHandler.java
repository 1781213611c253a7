package io.annals.store;

import io.annals.event.RecordedEvent;

/** Receives the events of a subscription. An exception stops the subscription. */
@FunctionalInterface
public interface EventHandler {

    void handle(RecordedEvent event) throws Exception;
}
