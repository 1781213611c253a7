package io.annals.users.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.aggregate.CommandContext;
import io.annals.cep.store.MatchEvents;
import io.annals.commands.CommandBus;
import io.annals.commands.CommandResult;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.Tag;
import io.annals.examples.user.EmailAddress;
import io.annals.examples.user.UserCommand.ChangeEmail;
import io.annals.examples.user.UserCommand.RegisterUser;
import io.annals.examples.user.UserException;
import io.annals.examples.user.UserLogins;
import io.annals.examples.user.UserPatterns;
import io.annals.examples.user.UserQueries;
import io.annals.examples.user.UserQueries.UserPage;
import io.annals.examples.user.UserQueries.UserView;
import io.annals.node.ApiProblem;
import io.annals.node.JsonResponses;
import io.annals.node.QueryParams;
import io.annals.node.RequestBodies;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.store.EventQuery;
import io.annals.store.QueryItem;
import io.annals.store.QueryReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The user API: commands through the command bus, reads from the user directory (as of its
 * checkpoint), logins recorded as facts, alerts read from the store. Every route needs the user
 * role; the operations of the example (projections, sagas) are the admin routes of their modules.
 */
final class UserRoutes {

    static final String USERS = "/api/users";
    static final String ALERTS = "/api/alerts";
    static final int DEFAULT_PAGE_SIZE = 20;
    /** How far ahead of the node's clock a login's time may be: more would hold back every window of the pattern. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_IDEMPOTENCY_KEY = 200;

    /** What a client sends to register. */
    record Registration(String email, String name) {
    }

    /** What a client sends to change an address. */
    record EmailChange(String email) {
    }

    /** A login an outside system reports; {@code at} is ISO-8601, the time of the request when absent. */
    record Login(Boolean success, String at) {
    }

    private final JsonResponses json;
    private final RequestBodies bodies;
    private final CommandBus bus;
    private final UserLogins logins;
    private final Supplier<UserQueries> queries;
    private final QueryReader reader;
    private final Clock clock;

    UserRoutes(JsonResponses json, RequestBodies bodies, CommandBus bus, UserLogins logins, Supplier<UserQueries> queries,
               QueryReader reader, Clock clock) {
        this.json = json;
        this.bodies = bodies;
        this.bus = bus;
        this.logins = logins;
        this.queries = queries;
        this.reader = reader;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.post(USERS, Role.USER, this::registerUser);
        routes.put(USERS + "/{id}/email", Role.USER, this::changeEmail);
        routes.post(USERS + "/{id}/logins", Role.USER, this::recordLogin);
        routes.get(USERS + "/{id}", Role.USER, this::user);
        routes.get(USERS, Role.USER, this::users);
        routes.get(ALERTS, Role.USER, this::alerts);
    }

    private void registerUser(Context ctx) {
        Registration body = bodies.readJson(ctx, Registration.class);
        if (body == null) {
            throw ApiProblem.badRequest("the body must be {\"email\": \"...\", \"name\": \"...\"}");
        }
        String key = ctx.header("Idempotency-Key");
        CommandContext context;
        String userId;
        if (key == null) {
            // nobody can send this registration again, so it needs no record
            context = CommandContext.newUnrepeatableCommand();
            userId = UUID.randomUUID().toString();
        } else {
            if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
                throw ApiProblem.badRequest("Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
            }
            // the same key names the same command and the same new user, so a retry is recognised as one
            UUID commandId = nameUuid("register\n" + key);
            context = CommandContext.of(commandId, commandId.toString());
            userId = nameUuid("user\n" + key).toString();
        }
        accepted(bus.dispatch(new RegisterUser(userId, body.email(), body.name()), context));
        ctx.header("Location", USERS + "/" + userId);
        json.send(ctx, 201, Map.of("userId", userId));
    }

    private void changeEmail(Context ctx) {
        String userId = userId(ctx);
        EmailChange body = bodies.readJson(ctx, EmailChange.class);
        if (body == null) {
            throw ApiProblem.badRequest("the body must be {\"email\": \"...\"}");
        }
        accepted(bus.dispatch(new ChangeEmail(userId, body.email())));
        json.send(ctx, 200, Map.of("userId", userId, "email", new EmailAddress(body.email()).value()));
    }

    private void recordLogin(Context ctx) {
        String userId = userId(ctx);
        Login body = bodies.readJson(ctx, Login.class);
        if (body == null || body.success() == null) {
            throw ApiProblem.badRequest("the body must be {\"success\": true|false} with an optional \"at\": an ISO-8601 instant");
        }
        Instant now = clock.instant();
        Instant at = body.at() == null ? now : instant(body.at());
        if (at.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw ApiProblem.badRequest("'at' is more than " + MAX_CLOCK_SKEW.toSeconds() + " seconds ahead of the node's clock");
        }
        try {
            logins.record(userId, body.success(), at);
        } catch (UserException.NotRegistered e) {
            throw ApiProblem.notFound(e.getMessage());
        }
        json.send(ctx, 202, Map.of("userId", userId, "success", body.success(), "at", at.toString()));
    }

    private void user(Context ctx) {
        String userId = userId(ctx);
        UserView user = queries.get().findById(userId).orElseThrow(() -> unknown(userId));
        json.send(ctx, 200, view(user));
    }

    private void users(Context ctx) {
        String email = QueryParams.single(ctx, "email");
        if (email != null) {
            List<UserView> found;
            try {
                found = queries.get().findByEmail(email).stream().toList();
            } catch (UserException.InvalidEmail e) {
                throw new ApiProblem("invalid-email", 400, "Invalid Email", e.getMessage(), Map.of());
            }
            json.send(ctx, 200, page(found, 0, DEFAULT_PAGE_SIZE, found.size()));
            return;
        }
        int page = integer(ctx, "page", 0);
        int size = integer(ctx, "size", DEFAULT_PAGE_SIZE);
        if (page < 0 || size < 1 || size > UserQueries.MAX_PAGE_SIZE) {
            throw ApiProblem.badRequest("page must be 0 or more and size 1 to " + UserQueries.MAX_PAGE_SIZE);
        }
        UserPage found = queries.get().findAll(page, size);
        json.send(ctx, 200, page(found.users(), found.page(), found.size(), found.total()));
    }

    private void alerts(Context ctx) {
        String userId = QueryParams.single(ctx, "userId");
        int limit = QueryParams.limit(ctx);
        Tag tag;
        try {
            tag = userId == null ? MatchEvents.patternTag(UserPatterns.SUSPICIOUS) : Tag.of("userId", userId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("userId: " + e.getMessage());
        }
        List<RecordedEvent> events = reader.read(EventQuery.of(QueryItem.of(List.of(UserPatterns.DETECTED), List.of(tag))),
                Position.START, limit).events();
        var alerts = events.stream().map(this::alert).toList();
        json.send(ctx, 200, Map.of("alerts", alerts));
    }

    private Map<String, Object> alert(RecordedEvent event) {
        JsonNode data;
        try {
            data = json.mapper().readTree(event.data());
        } catch (IOException e) {
            throw new IllegalStateException("alert " + event.eventId() + " is not JSON", e);
        }
        var alert = new LinkedHashMap<String, Object>();
        alert.put("alertId", event.eventId().toString());
        alert.put("userId", data.path("key").asText());
        alert.put("pattern", data.path("pattern").asText());
        alert.put("firstOccurredAt", data.path("firstOccurredAt").asText());
        alert.put("lastOccurredAt", data.path("lastOccurredAt").asText());
        alert.put("detectedAt", event.recordedAt().toString());
        alert.put("position", event.position().toString());
        return alert;
    }

    private static Map<String, Object> page(List<UserView> users, int page, int size, long total) {
        var body = new LinkedHashMap<String, Object>();
        body.put("items", users.stream().map(UserRoutes::view).toList());
        body.put("page", page);
        body.put("size", size);
        body.put("total", total);
        return body;
    }

    static Map<String, Object> view(UserView user) {
        var body = new LinkedHashMap<String, Object>();
        body.put("id", user.userId());
        body.put("email", user.email());
        body.put("name", user.name());
        body.put("status", user.status());
        body.put("registeredAt", user.registeredAt().toString());
        body.put("lastUpdated", user.lastUpdated().toString());
        return body;
    }

    /** The command's failure as a problem; nothing to do when it was accepted. */
    private static void accepted(CommandResult result) {
        switch (result) {
            case CommandResult.Accepted accepted -> {
            }
            case CommandResult.Invalid invalid -> throw new ApiProblem("invalid-input", 400, "Bad Request", invalid.message(),
                    Map.of("violations", invalid.violations().stream()
                            .map(v -> Map.of("field", v.path(), "message", v.message())).toList()));
            case CommandResult.Rejected rejected -> throw switch (rejected.code()) {
                case "invalid-email", "invalid-name" -> new ApiProblem(rejected.code(), 400, "Bad Request", rejected.message(), Map.of());
                case "user-not-found" -> new ApiProblem(rejected.code(), 404, "Not Found", rejected.message(), Map.of());
                default -> new ApiProblem(rejected.code(), 409, "Conflict", rejected.message(), Map.of());
            };
            case CommandResult.Conflicted conflicted -> throw new ApiProblem(503, "Service Unavailable",
                    "other changes to the same user or address kept getting in the way; try again");
            case CommandResult.CommandIdReused reused -> throw new ApiProblem("idempotency-key-reused", 422, "Unprocessable Content",
                    "this Idempotency-Key was used with a different request", Map.of());
            case CommandResult.UnknownCommand unknown -> throw new IllegalStateException(unknown.message());
        }
    }

    /** The id in the path; one that no user can have is an unknown user. */
    private static String userId(Context ctx) {
        String userId = ctx.pathParam("id");
        if (!USER_ID.matcher(userId).matches()) {
            throw unknown(userId);
        }
        return userId;
    }

    private static ApiProblem unknown(String userId) {
        return new ApiProblem("user-not-found", 404, "Not Found", "no user " + QueryParams.abbreviate(userId), Map.of());
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("'at' must be an ISO-8601 instant such as 2026-01-01T10:00:00Z, got '"
                    + QueryParams.abbreviate(text) + "'");
        }
    }

    private static int integer(Context ctx, String name, int fallback) {
        String text = QueryParams.single(ctx, name);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be a whole number, got '" + QueryParams.abbreviate(text) + "'");
        }
    }

    private static UUID nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
