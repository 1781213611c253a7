package io.annals.serialization;

/**
 * Turns one old stored shape of an event type into the next revision. Upcasters run at read
 * time, so stored events are never rewritten: the log stays the audit trail it was.
 */
public interface Upcaster {

    /** The stored type name this upcaster reads. */
    String eventType();

    /** The revision it reads; it returns revision {@code fromRevision() + 1} (or a new type at revision 1). */
    int fromRevision();

    SerializedEvent upcast(SerializedEvent event);
}
