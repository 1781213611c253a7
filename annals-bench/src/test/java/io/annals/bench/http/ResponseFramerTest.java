package io.annals.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Feeds the framer bytes as a socket might deliver them: whole, split anywhere, or wrong. */
class ResponseFramerTest {

    private static final String CREATED = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
            + "content-LENGTH:  16 \r\n\r\n{\"position\":\"1\"}";

    private final ResponseFramer framer = new ResponseFramer();

    @Test
    void framesAResponseThatArrivesWhole() throws IOException {
        arrive(CREATED);

        var response = framer.next();

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.bodyText()).isEqualTo("{\"position\":\"1\"}");
        assertThat(response.closeAfter()).isFalse();
        assertThat(framer.partial()).isFalse();
    }

    @Test
    void waitsForEveryByteWhereverTheResponseIsSplit() throws IOException {
        for (int split = 1; split < CREATED.length(); split++) {
            var fresh = new ResponseFramer();
            fresh.readBuffer().put(CREATED.substring(0, split).getBytes(StandardCharsets.ISO_8859_1));
            assertThat(fresh.next()).as("after %d bytes", split).isNull();
            assertThat(fresh.partial()).isTrue();
            fresh.readBuffer().put(CREATED.substring(split).getBytes(StandardCharsets.ISO_8859_1));
            assertThat(fresh.next().bodyText()).as("split at %d", split).isEqualTo("{\"position\":\"1\"}");
        }
    }

    @Test
    void framesOneResponseAfterAnotherOnTheSameConnection() throws IOException {
        arrive(CREATED);
        assertThat(framer.next().status()).isEqualTo(201);

        arrive("HTTP/1.1 409 Conflict\r\nContent-Length: 2\r\n\r\n{}");

        var conflict = framer.next();
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.bodyText()).isEqualTo("{}");
    }

    @Test
    void growsForABodyLargerThanItsBuffer() throws IOException {
        String body = "x".repeat(50_000);
        byte[] bytes = ("HTTP/1.1 200 OK\r\nContent-Length: 50000\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
        int at = 0;
        ResponseFramer.Response response = null;
        while (response == null) {
            var into = framer.readBuffer();
            int length = Math.min(into.remaining(), bytes.length - at);
            into.put(bytes, at, length);
            at += length;
            response = framer.next();
        }

        assertThat(response.bodyText()).isEqualTo(body);
    }

    @Test
    void notesConnectionCloseAndAcceptsA204WithoutLength() throws IOException {
        arrive("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");

        var response = framer.next();

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.closeAfter()).isTrue();
    }

    @Test
    void refusesWhatItCannotFrame() {
        assertRefused("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nstreamed\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked");
        assertRefused("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", "200 without Content-Length");
        assertRefused("HTTP/1.1 100 Continue\r\n\r\n", "interim response");
        assertRefused("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", "unexpected status line");
        assertRefused("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "unsupported Content-Length");
        assertRefused("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed response header");
        assertRefused("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "not terminated by CRLF");
        assertRefused("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(ResponseFramer.MAX_HEAD), "longer than");
    }

    private void assertRefused(String bytes, String message) {
        var fresh = new ResponseFramer();
        byte[] all = bytes.getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> {
            int at = 0;
            while (true) {
                var into = fresh.readBuffer();
                int length = Math.min(into.remaining(), all.length - at);
                into.put(all, at, length);
                at += length;
                fresh.next();
            }
        }).as(bytes).isInstanceOf(IOException.class).hasMessageContaining(message);
    }

    private void arrive(String bytes) {
        framer.readBuffer().put(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }
}
