package io.annals.bench.http;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One persistent HTTP/1.1 connection that sends a request and reads its answer, one at a time,
 * as load generators such as wrk do. It is a fraction of the JDK client's CPU per request, so
 * that a benchmark running client and node on the same cores measures the node, not the client.
 * <p>
 * It understands only what a benchmark needs: responses framed by {@code Content-Length}. Chunked
 * or unframed responses, and anything else it does not expect, fail with an exception that says
 * what came. Not thread-safe: one client per thread.
 */
public final class KeepAliveHttpClient implements AutoCloseable {

    /** A response's status and body; headers other than the framing ones are not kept. */
    public record Response(int status, byte[] body) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final InetSocketAddress server;
    private final String hostHeader;
    private final int timeoutMillis;
    private Connection connection;

    public KeepAliveHttpClient(InetSocketAddress server, int timeoutMillis) {
        this.server = server;
        this.hostHeader = server.getHostString() + ":" + server.getPort();
        this.timeoutMillis = timeoutMillis;
    }

    /** POSTs {@code body} to {@code path} with the given headers (Host and Content-Length are added). */
    public Response post(String path, Map<String, String> headers, byte[] body) throws IOException {
        byte[] head = requestHead("POST", path, headers, body.length);
        boolean reused = connection != null;
        Connection open = connected();
        Response response;
        try {
            response = open.exchange(head, body);
        } catch (StaleConnectionException stale) {
            if (!reused) {
                throw new IOException("the server closed a new connection without answering", stale);
            }
            // the server closed an idle keep-alive connection before it read this request: the
            // request was never seen, so sending it again on a fresh connection is safe
            close();
            response = connected().exchange(head, body);
        } catch (IOException | RuntimeException failure) {
            close();
            throw failure;
        }
        return response;
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

    private byte[] requestHead(String method, String path, Map<String, String> headers, int contentLength) {
        var head = new StringBuilder(128 + headers.size() * 48);
        head.append(method).append(' ').append(requireToken(path)).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader).append("\r\n");
        headers.forEach((name, value) -> head.append(requireToken(name)).append(": ").append(requireToken(value)).append("\r\n"));
        head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
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
     * One socket and the response bytes read from it but not used yet. It buffers reads itself:
     * a {@code BufferedInputStream} takes a lock on every {@code read()}, which showed up as the
     * client's main cost when reading the head byte by byte.
     */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[MAX_HEADER_LINE];
        private int position;
        private int limit;
        private boolean closeAfterResponse;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
            this.in = socket.getInputStream();
        }

        Response exchange(byte[] head, byte[] body) throws IOException {
            out.write(head);
            out.write(body);
            out.flush();
            return readResponse();
        }

        private Response readResponse() throws IOException {
            String statusLine = readLine(true);
            int status = statusOf(statusLine);
            long contentLength = -1;
            for (int count = 0; ; count++) {
                String header = readLine(false);
                if (header.isEmpty()) {
                    break;
                }
                if (count == MAX_HEADERS) {
                    throw new IOException("more than " + MAX_HEADERS + " response headers");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed response header: " + header);
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = contentLengthOf(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    throw new IOException("the server answered with Transfer-Encoding: " + value
                            + "; this client reads Content-Length framed responses only");
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    closeAfterResponse = true;
                }
            }
            if (contentLength < 0) {
                if (status == 204 || status == 304) {
                    contentLength = 0;
                } else {
                    throw new IOException("the server answered " + statusLine + " without Content-Length");
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

        private static int statusOf(String statusLine) throws IOException {
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12 || !isDigits(statusLine, 9, 12)) {
                throw new IOException("unexpected status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine, 9, 12, 10);
            if (status < 200) {
                throw new IOException("unexpected interim response: " + statusLine);
            }
            return status;
        }

        private static long contentLengthOf(String value) throws IOException {
            if (value.isEmpty() || value.length() > 9 || !isDigits(value, 0, value.length())) {
                throw new IOException("unsupported Content-Length: " + value);
            }
            long length = Long.parseLong(value);
            if (length > MAX_BODY) {
                throw new IOException("response body of " + length + " bytes is over this client's limit");
            }
            return length;
        }

        private static boolean isDigits(String text, int from, int to) {
            for (int i = from; i < to; i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        /** One CRLF-terminated line, without the CRLF. */
        private String readLine(boolean firstOfResponse) throws IOException {
            int scanned = position;
            while (true) {
                for (; scanned < limit; scanned++) {
                    if (buffer[scanned] == '\n') {
                        if (scanned == position || buffer[scanned - 1] != '\r') {
                            throw new IOException("response line not terminated by CRLF");
                        }
                        String line = new String(buffer, position, scanned - 1 - position, StandardCharsets.ISO_8859_1);
                        position = scanned + 1;
                        return line;
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
