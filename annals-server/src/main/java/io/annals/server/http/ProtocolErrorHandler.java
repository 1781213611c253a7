package io.annals.server.http;

import io.annals.node.ApiProblem;
import io.annals.node.ProblemResponses;
import java.nio.ByteBuffer;
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

    private final ProblemResponses problems;

    public ProtocolErrorHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        if (status < 400) {
            status = 400;
        }
        var problem = ApiProblem.of(status, "the request is malformed at the HTTP level");
        response.setStatus(status);
        ProblemResponses.headers(problem).forEach(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemResponses.CONTENT_TYPE);
        // Jetty drops the connection after a request it could not parse; say so, so clients do not reuse it
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(problems.body(problem, null)), callback);
        return true;
    }
}
