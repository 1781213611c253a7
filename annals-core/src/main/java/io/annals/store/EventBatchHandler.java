package io.annals.store;

import io.annals.event.RecordedEvent;
import java.util.List;

/**
 * Receives the events of a subscription several at a time: from one up to the batch size the
 * subscription was opened with, in order, as many as were ready (a batch is never held back to
 * fill it). The list is read-only and valid only during the call. An exception stops the
 * subscription; its position stays at the end of the previous batch.
 */
@FunctionalInterface
public interface EventBatchHandler {

    void handle(List<RecordedEvent> events) throws Exception;
}
