package io.annals.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before they reach a route (an undecodable URI, a header too
 * large) with a problem document too, instead of Jetty's HTML page. Jetty's own message is not
 * echoed: it may describe internals.
 */
public final class ProtocolErrorHandler implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        if (status < 400) {
            status = 400;
        }
        String body = "{\"type\":\"about:blank\",\"title\":\"" + ProblemResponses.reasonPhrase(status)
                + "\",\"status\":" + status + ",\"detail\":\"the request is malformed at the HTTP level\"}";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemResponses.CONTENT_TYPE);
        // Jetty drops the connection after a request it could not parse; say so, so clients do not reuse it
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
