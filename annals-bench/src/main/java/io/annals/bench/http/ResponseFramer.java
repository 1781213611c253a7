package io.annals.bench.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds one HTTP/1.1 response at a time in the bytes of a connection as they arrive, framed by
 * {@code Content-Length}: all a load generator needs. Chunked or unframed responses, interim
 * responses and anything else it does not expect fail with an exception that says what came.
 * <p>
 * The head is scanned as bytes, without a string per line: this runs once per request on the
 * thread that drives every connection. One framer per connection; not thread-safe.
 */
final class ResponseFramer {

    /** A response's status and body; headers other than the framing ones are not kept. */
    record Response(int status, byte[] body, boolean closeAfter) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static final int MAX_HEAD = 8 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final byte[] STATUS_PREFIX = ascii("HTTP/1.1 ");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CLOSE = ascii("close");

    /** Bytes read and not yet used, from index 0 to {@code buffer.position()}; in write mode between calls. */
    private ByteBuffer buffer = ByteBuffer.allocate(2 * 1024);
    /** The head parsed so far (-1 before the head is complete): where the body starts, and its length. */
    private int bodyStart = -1;
    private int bodyLength;
    private int status;
    private boolean closeAfter;

    /** Where the next read goes; it always has room. */
    ByteBuffer readBuffer() {
        if (!buffer.hasRemaining()) {
            int needed = bodyStart < 0 ? MAX_HEAD + 1 : bodyStart + bodyLength;
            buffer = ByteBuffer.wrap(Arrays.copyOf(buffer.array(), Math.max(needed, 2 * buffer.capacity())))
                    .position(buffer.position());
        }
        return buffer;
    }

    /** The next response if all of it has arrived, else {@code null}; throws for what it cannot frame. */
    Response next() throws IOException {
        byte[] bytes = buffer.array();
        int filled = buffer.position();
        if (bodyStart < 0) {
            int headEnd = headEnd(bytes, filled);
            if (headEnd < 0) {
                if (filled > MAX_HEAD) {
                    throw new IOException("response head longer than " + MAX_HEAD + " bytes");
                }
                return null;
            }
            parseHead(bytes, headEnd);
            bodyStart = headEnd + 4;
        }
        int end = bodyStart + bodyLength;
        if (filled < end) {
            return null;
        }
        var response = new Response(status, Arrays.copyOfRange(bytes, bodyStart, end), closeAfter);
        // one request is outstanding at a time, so any byte after this response is the next one's
        System.arraycopy(bytes, end, bytes, 0, filled - end);
        buffer.position(filled - end);
        bodyStart = -1;
        return response;
    }

    /** Whether part of a response has arrived and not all of it. */
    boolean partial() {
        return buffer.position() > 0;
    }

    private static int headEnd(byte[] bytes, int filled) {
        for (int i = 3; i < filled; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i - 3;
            }
        }
        return -1;
    }

    /** Reads the status and framing headers of the head in {@code bytes[0, headEnd)}. */
    private void parseHead(byte[] bytes, int headEnd) throws IOException {
        int lineEnd = lineEnd(bytes, 0, headEnd);
        status = statusOf(bytes, lineEnd);
        closeAfter = false;
        long contentLength = -1;
        for (int start = lineEnd + 2; start < headEnd; start = lineEnd + 2) {
            lineEnd = lineEnd(bytes, start, headEnd);
            int colon = indexOf(bytes, ':', start, lineEnd);
            if (colon <= start) {
                throw new IOException("malformed response header: " + text(bytes, start, lineEnd));
            }
            int nameEnd = trimEnd(bytes, start, colon);
            int valueStart = trimStart(bytes, colon + 1, lineEnd);
            int valueEnd = trimEnd(bytes, valueStart, lineEnd);
            if (namedAs(bytes, CONTENT_LENGTH, start, nameEnd)) {
                contentLength = contentLengthOf(bytes, valueStart, valueEnd);
            } else if (namedAs(bytes, TRANSFER_ENCODING, start, nameEnd)) {
                throw new IOException("the server answered with Transfer-Encoding: " + text(bytes, valueStart, valueEnd)
                        + "; this client reads Content-Length framed responses only");
            } else if (namedAs(bytes, CONNECTION, start, nameEnd) && namedAs(bytes, CLOSE, valueStart, valueEnd)) {
                closeAfter = true;
            }
        }
        if (contentLength < 0) {
            if (status != 204 && status != 304) {
                throw new IOException("the server answered " + status + " without Content-Length");
            }
            contentLength = 0;
        }
        bodyLength = (int) contentLength;
    }

    /** The index of the CR that ends the line starting at {@code start}; the head ends with CRLF CRLF, so there is one. */
    private static int lineEnd(byte[] bytes, int start, int headEnd) throws IOException {
        for (int i = start; i < headEnd + 2; i++) {
            if (bytes[i] == '\n') {
                if (i == start || bytes[i - 1] != '\r') {
                    throw new IOException("response line not terminated by CRLF");
                }
                return i - 1;
            }
        }
        throw new IOException("response line not terminated by CRLF");
    }

    private static int statusOf(byte[] bytes, int end) throws IOException {
        int digits = STATUS_PREFIX.length;
        if (end < digits + 3 || !Arrays.equals(bytes, 0, digits, STATUS_PREFIX, 0, digits)
                || !isDigits(bytes, digits, digits + 3) || (end > digits + 3 && bytes[digits + 3] != ' ')) {
            throw new IOException("unexpected status line: " + text(bytes, 0, end));
        }
        int code = (bytes[digits] - '0') * 100 + (bytes[digits + 1] - '0') * 10 + (bytes[digits + 2] - '0');
        if (code < 200) {
            throw new IOException("unexpected interim response: " + text(bytes, 0, end));
        }
        return code;
    }

    private static long contentLengthOf(byte[] bytes, int start, int end) throws IOException {
        if (end == start || end - start > 9 || !isDigits(bytes, start, end)) {
            throw new IOException("unsupported Content-Length: " + text(bytes, start, end));
        }
        long length = 0;
        for (int i = start; i < end; i++) {
            length = length * 10 + (bytes[i] - '0');
        }
        if (length > MAX_BODY) {
            throw new IOException("response body of " + length + " bytes is over this client's limit");
        }
        return length;
    }

    /** Whether {@code bytes[start, end)} is {@code lowerCaseName}, ignoring ASCII case. */
    private static boolean namedAs(byte[] bytes, byte[] lowerCaseName, int start, int end) {
        if (end - start != lowerCaseName.length) {
            return false;
        }
        for (int i = 0; i < lowerCaseName.length; i++) {
            int b = bytes[start + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCaseName[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int trimStart(byte[] bytes, int from, int to) {
        while (from < to && (bytes[from] == ' ' || bytes[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] bytes, int from, int to) {
        while (to > from && (bytes[to - 1] == ' ' || bytes[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private static String text(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
