package io.annals.kafka;

/**
 * The header names of the CloudEvents Kafka protocol binding, binary content mode, as Annals
 * writes them. Extension names are lower-case letters and digits only, as the specification asks.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    /** Extension: {@code correlationId} of the event's metadata. */
    public static final String CORRELATION_ID = "ce_correlationid";
    /** Extension: {@code causationId} of the event's metadata. */
    public static final String CAUSATION_ID = "ce_causationid";
    /** Extension: the event's version in its stream (an integer). */
    public static final String STREAM_VERSION = "ce_streamversion";
    /** Extension: the event's place in the store's global order, the opaque position token. */
    public static final String POSITION = "ce_position";
    /** Extension: when the store committed the event (RFC 3339). */
    public static final String RECORDED_TIME = "ce_recordedtime";
    /** Extension: the event's tags as a JSON array of {@code key:value} strings; absent without tags. */
    public static final String TAGS = "ce_tags";
    /** Extension: the rest of the event's metadata as a JSON object; absent when there is none. */
    public static final String METADATA = "ce_metadata";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }
}
