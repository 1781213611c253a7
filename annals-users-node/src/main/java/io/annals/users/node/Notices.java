package io.annals.users.node;

import io.annals.sagas.outbox.OutboxMessage;
import io.annals.sagas.outbox.OutboxSender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the account guard's notices to users: POSTed as JSON to {@code users.notify-url}
 * (a mail gateway, a webhook) under the message id as {@code Idempotency-Key}, so that the
 * receiver can drop a repeat; without that URL they are logged. An answer other than 2xx, or
 * none, is a failed delivery, which the outbox relay tries again.
 */
final class Notices implements OutboxSender {

    private static final Logger LOG = LoggerFactory.getLogger(Notices.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Optional<URI> target;
    private final HttpClient http;

    Notices(Optional<URI> target, HttpClient http) {
        this.target = target;
        this.http = http;
    }

    @Override
    public void send(OutboxMessage message) throws Exception {
        if (target.isEmpty()) {
            LOG.info("users: notice {} {}: {}", message.type(), message.messageId(), message.payload());
            return;
        }
        var request = HttpRequest.newBuilder(target.get().resolve(message.type()))
                .header("Idempotency-Key", message.messageId().toString())
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(message.payload()))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("the notice service answered " + response.statusCode());
        }
    }
}
