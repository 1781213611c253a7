package io.annals.bench.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A request line and unchanging headers (Host included), encoded once for many requests; each
 * request adds one header of its own, Content-Length and the body, assembled in one array.
 */
public final class PreparedRequest {

    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] HEADER_SEPARATOR = {':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] head;

    private PreparedRequest(byte[] head) {
        this.head = head;
    }

    /** POSTs to {@code path} on {@code host} ("name:port") with {@code headers}; Content-Length comes per request. */
    public static PreparedRequest of(String host, String path, Map<String, String> headers) {
        return of("POST", host, path, headers);
    }

    /** {@code method} (POST, PUT) to {@code path} on {@code host} with {@code headers}, a body each time. */
    public static PreparedRequest of(String method, String host, String path, Map<String, String> headers) {
        var head = new StringBuilder(128 + headers.size() * 48);
        head.append(requireToken(method)).append(' ').append(requireToken(path)).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(requireToken(host)).append("\r\n");
        headers.forEach((name, value) -> head.append(requireToken(name)).append(": ").append(requireToken(value)).append("\r\n"));
        return new PreparedRequest(ascii(head.toString()));
    }

    /** The whole request: the prepared head, {@code name: value} unless {@code name} is null, and the body. */
    public byte[] request(String name, String value, byte[] body) {
        byte[] extra = name == null ? new byte[0]
                : concat(ascii(requireToken(name)), HEADER_SEPARATOR, ascii(requireToken(value)), CRLF);
        return concat(head, extra, CONTENT_LENGTH, ascii(Integer.toString(body.length)), CRLF, CRLF, body);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = Arrays.copyOf(parts[0], length);
        int at = parts[0].length;
        for (int i = 1; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, all, at, parts[i].length);
            at += parts[i].length;
        }
        return all;
    }

    /** Refuses line breaks, which would let a value end the header block early. */
    private static String requireToken(String text) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line break in request line or header: " + text);
        }
        return text;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
