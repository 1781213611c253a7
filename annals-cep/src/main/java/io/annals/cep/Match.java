package io.annals.cep;

import java.util.List;
import java.util.Objects;

/**
 * A completed match: the events it took, oldest first, each with the stage that took it.
 *
 * @param key         the partition key
 * @param stages      the stage name of each event, in the same order
 * @param firstTime   event time of the first event, epoch milliseconds
 * @param lastTime    event time of the last event
 * @param absence     whether the pattern ends with an absence that the window's end confirmed
 */
public record Match<E, K>(String pattern, K key, List<E> events, List<String> stages, long firstTime, long lastTime,
                          boolean absence) {

    public Match {
        Objects.requireNonNull(pattern, "pattern");
        events = List.copyOf(events);
        stages = List.copyOf(stages);
        if (events.size() != stages.size() || events.isEmpty()) {
            throw new IllegalArgumentException("a match has one stage name per event and at least one event");
        }
    }

    /** The events taken by one stage. */
    public List<E> events(String stage) {
        var taken = new java.util.ArrayList<E>();
        for (int i = 0; i < events.size(); i++) {
            if (stages.get(i).equals(stage)) {
                taken.add(events.get(i));
            }
        }
        return taken;
    }
}
