package io.annals.kafka;

/**
 * The headers a consumer adds to a record it sends to {@code <topic>-dlt}; the record keeps its
 * key, value and original headers.
 */
public final class DeadLetterHeaders {

    /** Fully qualified class name of the exception (the last one, after every retry). */
    public static final String EXCEPTION = "annals_dlt_exception";
    public static final String EXCEPTION_MESSAGE = "annals_dlt_exception_message";
    public static final String ORIGINAL_TOPIC = "annals_dlt_original_topic";
    public static final String ORIGINAL_PARTITION = "annals_dlt_original_partition";
    public static final String ORIGINAL_OFFSET = "annals_dlt_original_offset";
    public static final String GROUP = "annals_dlt_group";
    /** How many times the handler was called: 0 for a record that could not be decoded. */
    public static final String ATTEMPTS = "annals_dlt_attempts";

    public static final String SUFFIX = "-dlt";

    private DeadLetterHeaders() {
    }

    public static String topicFor(String topic) {
        return topic + SUFFIX;
    }
}
