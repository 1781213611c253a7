package io.annals.cep;

/** Which partial matches an emitted match discards, in its partition. */
public enum SkipStrategy {
    /** None: every match is reported, overlapping ones included. */
    NO_SKIP,
    /** Those that started with the same event as the emitted match. */
    SKIP_TO_NEXT,
    /** Those that started at or before the emitted match's last event: no event is in two matches. */
    SKIP_PAST_LAST_EVENT
}
