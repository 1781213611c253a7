package io.annals.kafka;

/** Kafka's rules for topic names: 1 to 249 of {@code [a-zA-Z0-9._-]}, and not {@code .} or {@code ..}. */
final class TopicNames {

    static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    static String requireValid(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > MAX_LENGTH || topic.equals(".") || topic.equals("..")
                || !topic.chars().allMatch(TopicNames::isLegal)) {
            throw new IllegalArgumentException("'" + topic + "' is not a valid Kafka topic name: 1 to " + MAX_LENGTH
                    + " ASCII letters, digits, '.', '_' or '-'");
        }
        return topic;
    }

    static String sanitize(String name) {
        var out = new StringBuilder(name.length());
        name.chars().forEach(c -> out.append(isLegal(c) ? (char) c : '_'));
        return out.toString();
    }

    private static boolean isLegal(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }
}
