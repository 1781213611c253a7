package io.annals.bench.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * One persistent HTTP/1.1 connection that sends a request and reads its answer, one at a time,
 * as load generators such as wrk do. It is a fraction of the JDK client's CPU per request, so
 * that a benchmark running client and node on the same cores measures the node, not the client.
 * <p>
 * It understands only what a benchmark needs: responses framed by {@code Content-Length}. Chunked
 * or unframed responses, and anything else it does not expect, fail with an exception that says
 * what came. Not thread-safe: one client per thread.
 * <p>
 * Per request it does no more than it must: the request line and fixed headers are encoded once
 * ({@link #prepare}), each request is assembled in one reused buffer and sent with one write, and
 * the response head is read as bytes, without a string per line.
 */
public final class KeepAliveHttpClient implements AutoCloseable {

    /** A response's status and body; headers other than the framing ones are not kept. */
    public record Response(int status, byte[] body) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A POST's request line and unchanging headers (Host included), encoded once for many requests. */
    public static final class PreparedPost {
        private final byte[] head;

        private PreparedPost(byte[] head) {
            this.head = head;
        }
    }

    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HEADER_SEPARATOR = {':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    private final InetSocketAddress server;
    private final String hostHeader;
    private final int timeoutMillis;
    private byte[] request = new byte[1024];
    private int requestLength;
    private Connection connection;

    public KeepAliveHttpClient(InetSocketAddress server, int timeoutMillis) {
        this.server = server;
        this.hostHeader = server.getHostString() + ":" + server.getPort();
        this.timeoutMillis = timeoutMillis;
    }

    /** POSTs {@code body} to {@code path} with the given headers (Host and Content-Length are added). */
    public Response post(String path, Map<String, String> headers, byte[] body) throws IOException {
        return post(prepare(path, headers), null, null, body);
    }

    /** The request line and headers of POSTs to {@code path} (Host is added; Content-Length comes per request). */
    public PreparedPost prepare(String path, Map<String, String> headers) {
        var head = new StringBuilder(128 + headers.size() * 48);
        head.append("POST ").append(requireToken(path)).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader).append("\r\n");
        headers.forEach((name, value) -> head.append(requireToken(name)).append(": ").append(requireToken(value)).append("\r\n"));
        return new PreparedPost(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * POSTs {@code body} with the prepared line and headers, plus one header of its own when
     * {@code name} is not {@code null}.
     */
    public Response post(PreparedPost prepared, String name, String value, byte[] body) throws IOException {
        assemble(prepared, name, value, body);
        boolean reused = connection != null;
        Connection open = connected();
        Response response;
        try {
            response = open.exchange(request, requestLength);
        } catch (StaleConnectionException stale) {
            if (!reused) {
                throw new IOException("the server closed a new connection without answering", stale);
            }
            // the server closed an idle keep-alive connection before it read this request: the
            // request was never seen, so sending it again on a fresh connection is safe
            close();
            response = connected().exchange(request, requestLength);
        } catch (IOException | RuntimeException failure) {
            close();
            throw failure;
        }
        return response;
    }

    private void assemble(PreparedPost prepared, String name, String value, byte[] body) {
        requestLength = 0;
        append(prepared.head);
        if (name != null) {
            append(ascii(requireToken(name)));
            append(HEADER_SEPARATOR);
            append(ascii(requireToken(value)));
            append(CRLF);
        }
        append(CONTENT_LENGTH);
        appendDigits(body.length);
        append(CRLF);
        append(CRLF);
        append(body);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void append(byte[] bytes) {
        ensureRoom(bytes.length);
        System.arraycopy(bytes, 0, request, requestLength, bytes.length);
        requestLength += bytes.length;
    }

    private void appendDigits(int number) {
        int digits = 1;
        for (int rest = number / 10; rest > 0; rest /= 10) {
            digits++;
        }
        ensureRoom(digits);
        for (int i = requestLength + digits - 1, rest = number; i >= requestLength; i--, rest /= 10) {
            request[i] = (byte) ('0' + rest % 10);
        }
        requestLength += digits;
    }

    private void ensureRoom(int more) {
        if (requestLength + more > request.length) {
            request = Arrays.copyOf(request, Math.max(2 * request.length, requestLength + more));
        }
    }

    private Connection connected() throws IOException {
        if (connection == null || connection.closeAfterResponse) {
            close();
            var socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(timeoutMillis);
                socket.connect(server, timeoutMillis);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            connection = new Connection(socket);
        }
        return connection;
    }

    /** Refuses line breaks, which would let a value end the header block early. */
    private static String requireToken(String text) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line break in request line or header: " + text);
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        if (connection != null) {
            var closing = connection;
            connection = null;
            closing.socket.close();
        }
    }

    /** The server closed the connection before sending any byte of the response. */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException() {
            super("connection closed before the response began", null);
        }
    }

    /**
     * One socket and the response bytes read from it but not used yet. It buffers reads itself
     * and reads the head as bytes: a {@code BufferedInputStream} takes a lock on every
     * {@code read()}, and a string per header line was most of what the client did.
     */
    private static final class Connection {
        private static final byte[] STATUS_PREFIX = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
        private static final byte[] CONTENT_LENGTH_NAME = "content-length".getBytes(StandardCharsets.ISO_8859_1);
        private static final byte[] TRANSFER_ENCODING_NAME = "transfer-encoding".getBytes(StandardCharsets.ISO_8859_1);
        private static final byte[] CONNECTION_NAME = "connection".getBytes(StandardCharsets.ISO_8859_1);
        private static final byte[] CLOSE = "close".getBytes(StandardCharsets.ISO_8859_1);

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[MAX_HEADER_LINE];
        private int position;
        private int limit;
        private boolean closeAfterResponse;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        Response exchange(byte[] request, int length) throws IOException {
            out.write(request, 0, length);
            out.flush();
            return readResponse();
        }

        private Response readResponse() throws IOException {
            int end = lineEnd(true);
            int status = statusOf(position, end);
            position = end + 2;
            long contentLength = -1;
            for (int count = 0; ; count++) {
                end = lineEnd(false);
                int start = position;
                position = end + 2;
                if (end == start) {
                    break;
                }
                if (count == MAX_HEADERS) {
                    throw new IOException("more than " + MAX_HEADERS + " response headers");
                }
                int colon = indexOf(':', start, end);
                if (colon <= start) {
                    throw new IOException("malformed response header: " + text(start, end));
                }
                int nameEnd = trimEnd(start, colon);
                int valueStart = trimStart(colon + 1, end);
                int valueEnd = trimEnd(valueStart, end);
                if (namedAs(CONTENT_LENGTH_NAME, start, nameEnd)) {
                    contentLength = contentLengthOf(valueStart, valueEnd);
                } else if (namedAs(TRANSFER_ENCODING_NAME, start, nameEnd)) {
                    throw new IOException("the server answered with Transfer-Encoding: " + text(valueStart, valueEnd)
                            + "; this client reads Content-Length framed responses only");
                } else if (namedAs(CONNECTION_NAME, start, nameEnd) && namedAs(CLOSE, valueStart, valueEnd)) {
                    closeAfterResponse = true;
                }
            }
            if (contentLength < 0) {
                if (status == 204 || status == 304) {
                    contentLength = 0;
                } else {
                    throw new IOException("the server answered " + status + " without Content-Length");
                }
            }
            return new Response(status, readBody((int) contentLength));
        }

        private byte[] readBody(int length) throws IOException {
            byte[] body = new byte[length];
            int buffered = Math.min(length, limit - position);
            System.arraycopy(buffer, position, body, 0, buffered);
            position += buffered;
            int read = buffered + in.readNBytes(body, buffered, length - buffered);
            if (read < length) {
                throw new EOFException("connection closed after " + read + " of " + length + " body bytes");
            }
            return body;
        }

        private int statusOf(int start, int end) throws IOException {
            int digits = start + STATUS_PREFIX.length;
            if (end - start < STATUS_PREFIX.length + 3 || !Arrays.equals(buffer, start, digits, STATUS_PREFIX, 0, STATUS_PREFIX.length)
                    || !isDigits(digits, digits + 3) || (end > digits + 3 && buffer[digits + 3] != ' ')) {
                throw new IOException("unexpected status line: " + text(start, end));
            }
            int status = (buffer[digits] - '0') * 100 + (buffer[digits + 1] - '0') * 10 + (buffer[digits + 2] - '0');
            if (status < 200) {
                throw new IOException("unexpected interim response: " + text(start, end));
            }
            return status;
        }

        private long contentLengthOf(int start, int end) throws IOException {
            if (end == start || end - start > 9 || !isDigits(start, end)) {
                throw new IOException("unsupported Content-Length: " + text(start, end));
            }
            long length = 0;
            for (int i = start; i < end; i++) {
                length = length * 10 + (buffer[i] - '0');
            }
            if (length > MAX_BODY) {
                throw new IOException("response body of " + length + " bytes is over this client's limit");
            }
            return length;
        }

        /** Whether {@code buffer[start, end)} is {@code lowerCaseName}, ignoring ASCII case. */
        private boolean namedAs(byte[] lowerCaseName, int start, int end) {
            if (end - start != lowerCaseName.length) {
                return false;
            }
            for (int i = 0; i < lowerCaseName.length; i++) {
                int b = buffer[start + i];
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != lowerCaseName[i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean isDigits(int from, int to) {
            for (int i = from; i < to; i++) {
                if (buffer[i] < '0' || buffer[i] > '9') {
                    return false;
                }
            }
            return true;
        }

        private int indexOf(char c, int from, int to) {
            for (int i = from; i < to; i++) {
                if (buffer[i] == c) {
                    return i;
                }
            }
            return -1;
        }

        private int trimStart(int from, int to) {
            while (from < to && (buffer[from] == ' ' || buffer[from] == '\t')) {
                from++;
            }
            return from;
        }

        private int trimEnd(int from, int to) {
            while (to > from && (buffer[to - 1] == ' ' || buffer[to - 1] == '\t')) {
                to--;
            }
            return to;
        }

        private String text(int start, int end) {
            return new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
        }

        /**
         * Reads until a whole CRLF-terminated line is buffered from {@code position}, and returns
         * the index of its CR.
         */
        private int lineEnd(boolean firstOfResponse) throws IOException {
            int scanned = position;
            while (true) {
                for (; scanned < limit; scanned++) {
                    if (buffer[scanned] == '\n') {
                        if (scanned == position || buffer[scanned - 1] != '\r') {
                            throw new IOException("response line not terminated by CRLF");
                        }
                        return scanned - 1;
                    }
                }
                if (position > 0) {
                    // move the partial line to the front so that the whole line fits the buffer
                    System.arraycopy(buffer, position, buffer, 0, limit - position);
                    scanned -= position;
                    limit -= position;
                    position = 0;
                }
                if (limit == buffer.length) {
                    throw new IOException("response line longer than " + MAX_HEADER_LINE + " bytes");
                }
                int read = in.read(buffer, limit, buffer.length - limit);
                if (read == -1) {
                    if (firstOfResponse && limit == 0) {
                        throw new StaleConnectionException();
                    }
                    throw new EOFException("connection closed inside the response head");
                }
                limit += read;
            }
        }
    }
}
