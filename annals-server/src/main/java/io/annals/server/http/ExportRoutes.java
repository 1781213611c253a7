package io.annals.server.http;

import io.annals.node.ApiProblem;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.store.EventStore;
import io.annals.store.jsonlines.JsonLinesTransfer;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /api/export} (admin): the store's export (docs/json-lines-format.md) streamed from
 * the running node, so that a node whose SQLite directory is locked by it can be backed up
 * without stopping it: {@code curl -H 'Authorization: Bearer <admin key>' .../api/export > backup.jsonl}.
 */
public final class ExportRoutes {

    public static final String PATH = "/api/export";
    private static final String NDJSON = "application/x-ndjson";

    private final EventStore store;

    public ExportRoutes(EventStore store) {
        this.store = store;
    }

    public void register(Routes routes) {
        routes.get(PATH, Role.ADMIN, this::export);
    }

    private void export(Context ctx) throws IOException {
        if (!(store instanceof JsonLinesTransfer transfer)) {
            throw ApiProblem.of(501, "this node's store has no export");
        }
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setContentType(NDJSON);
        response.setHeader("Content-Disposition", "attachment; filename=\"annals-export.jsonl\"");
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        // a failure once lines have gone out cannot become a problem: the client sees the answer end early
        try (OutputStream out = response.getOutputStream()) {
            transfer.exportJsonLines(out);
        }
    }
}
