package io.annals.bench.report;

/** What a case measures, and which way is better. */
public enum Unit {
    EVENTS_PER_SECOND("events/s", true),
    SAGAS_PER_SECOND("sagas/s", true),
    /** Answered requests, when a request is more than one event (the user API's commands). */
    REQUESTS_PER_SECOND("requests/s", true),
    MILLISECONDS("ms", false),
    MEGABYTES("MB", false);

    private final String label;
    private final boolean higherIsBetter;

    Unit(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    public String label() {
        return label;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether the figure is reported as a whole number: a rate. */
    public boolean whole() {
        return this == EVENTS_PER_SECOND || this == SAGAS_PER_SECOND || this == REQUESTS_PER_SECOND;
    }

    /** The number as reported: whole events, sagas or requests per second, milliseconds to three decimals. */
    public double rounded(double value) {
        return whole() ? Math.round(value) : Math.round(value * 1000) / 1000.0;
    }
}
