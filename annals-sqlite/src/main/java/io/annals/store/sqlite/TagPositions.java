package io.annals.store.sqlite;

import io.annals.event.Tag;
import io.annals.store.AppendCondition;
import io.annals.store.QueryItem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer's upper bound of the last position of each recently written tag, so that most
 * condition checks need no query: an item cannot match after position P when one of its tags
 * has no event after P. A tag it does not hold is bounded by {@code floor}: the last position
 * when the writer last read the file, raised by every bound it forgets. Bounds only ever rise
 * (a rolled-back event leaves its bound too high, never too low), so the answer "no match" is
 * always right and "maybe" sends the check to the query.
 */
final class TagPositions {

    static final int DEFAULT_CAPACITY = 65_536;

    private final Map<String, Long> last;
    private long floor;

    TagPositions(int capacity) {
        this.last = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                floor = Math.max(floor, eldest.getValue());
                return true;
            }
        };
    }

    /** Forgets every bound: no tag has an event after {@code lastPosition}. */
    void reset(long lastPosition) {
        last.clear();
        floor = lastPosition;
    }

    void written(Tag tag, long position) {
        String key = tag.toString();
        Long bound = last.get(key);
        // a position reused after a rollback may be below what was forgotten of this tag: keep the higher bound
        last.put(key, Math.max(position, bound == null ? floor : bound));
    }

    /** Whether no event matching the condition can have been written after its position. */
    boolean excludes(AppendCondition condition) {
        long after = condition.after().sequence();
        for (QueryItem item : condition.failIfEventsMatch().items()) {
            if (!excludes(item, after)) {
                return false;
            }
        }
        return true;
    }

    private boolean excludes(QueryItem item, long after) {
        for (Tag tag : item.tags()) {
            Long bound = last.get(tag.toString());
            if ((bound == null ? floor : bound) <= after) {
                return true;
            }
        }
        return false;
    }
}
