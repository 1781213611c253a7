package io.annals.server.transfer;

import java.time.Duration;

/** What an export or import moved. */
public record TransferSummary(long events, long streams, long bytes, Duration elapsed) {

    public double eventsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? events : events / seconds;
    }
}
