package io.annals.users.node;

import io.annals.examples.user.UserPatterns;
import io.annals.node.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code users} module's settings ({@code --set users.KEY=VALUE}), read and checked when the
 * example is put together, so that a mistake stops the node's start with a message naming the key.
 *
 * @param suspiciousWindow  {@code suspicious-window}: three failed logins of a user within this (event time) raise an alert
 * @param allowedLateness   {@code allowed-lateness}: how far behind the node's clock (or the latest login) a login's time may
 *                          be and still count in the pattern; the alert for a third failure comes this long after it
 * @param unlockAfter       {@code unlock-after}: how long the account guard keeps an account locked
 * @param provisioningUrl   {@code provisioning-url}: the base URL of the outside service the provisioning saga calls; off when unset
 * @param provisioningTimeout {@code provisioning-timeout}: how long one call of a provisioning step may take
 * @param notifyUrl         {@code notify-url}: where the account guard's notices are POSTed; unset, they are logged
 */
public record UsersSettings(Duration suspiciousWindow, Duration allowedLateness, Duration unlockAfter, Optional<URI> provisioningUrl,
                            Duration provisioningTimeout, Optional<URI> notifyUrl) {

    /**
     * Logins are reported by the system that saw them, usually within seconds; a longer lateness
     * counts later reports but delays every lock by as much.
     */
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UNLOCK_AFTER = Duration.ofMinutes(15);
    public static final Duration DEFAULT_PROVISIONING_TIMEOUT = Duration.ofSeconds(5);

    /** Reads the settings of module {@code users} (keys without the {@code users.} prefix). */
    public static UsersSettings from(Settings settings) {
        Duration window = positive(settings, "suspicious-window", UserPatterns.DEFAULT_WINDOW);
        Duration lateness = settings.duration("allowed-lateness", DEFAULT_ALLOWED_LATENESS);
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("setting " + UsersModule.NAME + ".allowed-lateness must not be negative, got " + lateness);
        }
        Duration unlockAfter = positive(settings, "unlock-after", DEFAULT_UNLOCK_AFTER);
        Duration timeout = positive(settings, "provisioning-timeout", DEFAULT_PROVISIONING_TIMEOUT);
        return new UsersSettings(window, lateness, unlockAfter, url(settings, "provisioning-url"), timeout, url(settings, "notify-url"));
    }

    private static Duration positive(Settings settings, String key, Duration fallback) {
        Duration value = settings.duration(key, fallback);
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException("setting " + UsersModule.NAME + "." + key + " must be at least 1ms, got " + value);
        }
        return value;
    }

    private static Optional<URI> url(Settings settings, String key) {
        return settings.get(key).map(text -> {
            URI uri;
            try {
                uri = URI.create(text.endsWith("/") ? text : text + "/");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting " + UsersModule.NAME + "." + key + " must be an http(s) URL, got '" + text + "'");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("setting " + UsersModule.NAME + "." + key + " must be an http(s) URL, got '" + text + "'");
            }
            return uri;
        });
    }

    /** What start-up logs of the example. */
    String describe() {
        return "suspicious-window " + suspiciousWindow + ", allowed-lateness " + allowedLateness + ", unlock-after " + unlockAfter
                + ", provisioning saga "
                + provisioningUrl.map(url -> "on (" + url + ")").orElse("off (users.provisioning-url unset)")
                + ", notices " + notifyUrl.map(url -> "to " + url).orElse("logged (users.notify-url unset)");
    }
}
