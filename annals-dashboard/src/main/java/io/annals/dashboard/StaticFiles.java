package io.annals.dashboard;

import io.annals.node.ApiProblem;
import io.annals.node.JsonResponses;
import io.annals.node.QueryParams;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's files, read from the class path once, at start. Only the files named here are
 * served, looked up by name in a map: a request names one of them or gets a 404, so no path a
 * client sends ever reaches the class path or the file system.
 * <p>
 * Every answer carries a strong {@code ETag} of its bytes and {@code Cache-Control: no-cache}: a
 * browser keeps its copy and asks again each time, getting {@code 304} while the node serves the
 * same files (the file names carry no version, so a longer lifetime would keep an old script
 * after an upgrade).
 */
final class StaticFiles {

    static final String RESOURCES = "/io/annals/dashboard/ui/";
    static final String INDEX = "index.html";

    // the page loads only its own files and talks only to its own node
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> TYPES = Map.of(
            INDEX, "text/html;charset=utf-8",
            "dashboard.css", "text/css;charset=utf-8",
            "dashboard.js", "text/javascript;charset=utf-8",
            "charts.js", "text/javascript;charset=utf-8",
            "favicon.svg", "image/svg+xml");

    record File(String name, String contentType, byte[] bytes, String etag) {
    }

    private final Map<String, File> files;

    private StaticFiles(Map<String, File> files) {
        this.files = files;
    }

    static StaticFiles load() {
        var files = new LinkedHashMap<String, File>();
        TYPES.forEach((name, type) -> {
            byte[] bytes = read(RESOURCES + name);
            files.put(name, new File(name, type, bytes, etag(bytes)));
        });
        return new StaticFiles(Map.copyOf(files));
    }

    void serve(Context ctx, String name) {
        File file = files.get(name);
        if (file == null) {
            throw ApiProblem.notFound("no dashboard file " + QueryParams.abbreviate(name));
        }
        ctx.header("ETag", file.etag());
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        if (name.equals(INDEX)) {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("X-Frame-Options", "DENY");
        }
        if (matches(ctx.header("If-None-Match"), file.etag())) {
            ctx.status(304);
            return;
        }
        JsonResponses.sendBytes(ctx, 200, file.contentType(), file.bytes());
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
