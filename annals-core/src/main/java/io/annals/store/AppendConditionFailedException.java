package io.annals.store;

import io.annals.event.Position;

/** An append was refused because an event matching its condition was recorded after the condition's position. */
public final class AppendConditionFailedException extends EventStoreException {

    private final AppendCondition condition;
    private final Position conflicting;

    public AppendConditionFailedException(AppendCondition condition, Position conflicting) {
        super("append condition failed: an event matching " + condition.failIfEventsMatch()
                + " was recorded at " + conflicting + ", after " + condition.after());
        this.condition = condition;
        this.conflicting = conflicting;
    }

    public AppendCondition condition() {
        return condition;
    }

    /** The position of a matching event recorded after the condition's position. */
    public Position conflicting() {
        return conflicting;
    }

    /** The decision is made again on the newer events, so the caller may retry. */
    @Override
    public boolean isRetriable() {
        return true;
    }
}
