package io.annals.examples.user;

import io.annals.cep.text.PatternDefinition;
import io.annals.cep.text.PatternText;
import java.time.Duration;

/** The user example's complex event pattern: the seed's "three failed logins within five minutes". */
public final class UserPatterns {

    /** The pattern's name; its matches are {@code SuspiciousUserActivityDetected} events tagged {@code userId:<id>}. */
    public static final String SUSPICIOUS = "SuspiciousUserActivity";
    /** The type of the events its matches are recorded as. */
    public static final String DETECTED = SUSPICIOUS + "Detected";
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private UserPatterns() {
    }

    /** Three failed logins of one user within {@code window} (event time), each failure counted in one alert at most. */
    public static PatternDefinition suspiciousActivity(Duration window) {
        if (window.isNegative() || window.isZero() || window.toMillis() < 1) {
            throw new IllegalArgumentException("the window must be at least 1 ms, got " + window);
        }
        return PatternText.parseOne("PATTERN " + SUSPICIOUS + ": UserLoginFailed{3} WITHIN " + window.toMillis()
                + "ms PARTITION BY userId SKIP PAST LAST");
    }
}
