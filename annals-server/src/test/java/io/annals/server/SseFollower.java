package io.annals.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Follows an SSE endpoint on a virtual thread and keeps every message and comment it sees. */
final class SseFollower implements AutoCloseable {

    record Message(String id, String event, String data) {
    }

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Thread reader;
    private volatile int status;
    private volatile InputStream body;

    SseFollower(NodeClient client, String pathAndQuery, String... headers) {
        var builder = client.request(pathAndQuery).header("Accept", "text/event-stream").GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpRequest request = builder.timeout(java.time.Duration.ofMinutes(5)).build();
        reader = Thread.ofVirtual().name("sse-follower").start(() -> follow(client, request));
    }

    private void follow(NodeClient client, HttpRequest request) {
        try {
            HttpResponse<InputStream> response = client.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = response.body();
            try (var lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                StringBuilder data = null;
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data != null) {
                            messages.add(new Message(id, event, data.toString()));
                        }
                        id = null;
                        event = null;
                        data = null;
                    } else if (line.startsWith(":")) {
                        comments.incrementAndGet();
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed by the test or the node
        } finally {
            ended.set(true);
        }
    }

    List<Message> messages() {
        return messages;
    }

    int comments() {
        return comments.get();
    }

    int status() {
        return status;
    }

    boolean ended() {
        return ended.get();
    }

    @Override
    public void close() {
        InputStream stream = body;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        reader.interrupt();
    }
}
