package io.annals.bench.report;

/** What a case measures, and which way is better. */
public enum Unit {
    EVENTS_PER_SECOND("events/s", true),
    /** Answered requests, when a request writes more than one event (the user API's calls). */
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

    /** Whether it counts things per second, reported as whole numbers. */
    public boolean isRate() {
        return this == EVENTS_PER_SECOND || this == REQUESTS_PER_SECOND;
    }

    /** The number as reported: whole events or requests per second, milliseconds to three decimals. */
    public double rounded(double value) {
        return isRate() ? Math.round(value) : Math.round(value * 1000) / 1000.0;
    }
}
