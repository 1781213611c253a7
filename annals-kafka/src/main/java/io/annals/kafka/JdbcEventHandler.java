package io.annals.kafka;

import io.annals.event.RecordedEvent;
import java.sql.Connection;

/** Applies an event's effects on the connection it is given, inside a transaction it must not end. */
@FunctionalInterface
public interface JdbcEventHandler {

    void handle(Connection transaction, RecordedEvent event) throws Exception;
}
