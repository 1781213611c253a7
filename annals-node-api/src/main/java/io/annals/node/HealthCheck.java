package io.annals.node;

import java.util.Map;

/**
 * One part of the node's {@code GET /health} answer. The node is up when every check is; each
 * check's details appear under its name, beside its {@code status}.
 */
@FunctionalInterface
public interface HealthCheck {

    Health check();

    /** A check's outcome: whether the part is up, and what to show about it. */
    record Health(boolean up, Map<String, Object> details) {

        public Health {
            details = Map.copyOf(details);
        }

        public static Health up(Map<String, Object> details) {
            return new Health(true, details);
        }

        public static Health down(Map<String, Object> details) {
            return new Health(false, details);
        }
    }
}
