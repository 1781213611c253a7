package io.annals.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.node.Role;
import io.annals.node.Routes;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import io.annals.property.Property;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Handler NOTHING = ctx -> { };

    @Test
    void refusesPathsThatAreNotLiteralsAndParameters() {
        Routes routes = new RouteTable().registrar("test");

        for (String path : List.of("", "api", "/api/", "/api//x", "/api/*", "/api/<rest>", "/api/{}", "/api/{1x}", "/a b")) {
            assertThatThrownBy(() -> routes.get(path, Role.USER, NOTHING)).as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        routes.get("/", Role.PUBLIC, NOTHING);
        routes.get("/api/v1.0/{streamId}/x_y~z-w", Role.USER, NOTHING);
    }

    @Test
    void theSameMethodAndShapeIsRefusedWhateverTheParametersAreCalledButOtherMethodsAreNot() {
        var table = new RouteTable();
        table.registrar("first").get("/s/{id}", Role.USER, NOTHING);
        table.registrar("first").post("/s/{id}", Role.ADMIN, NOTHING);

        assertThatThrownBy(() -> table.registrar("second").get("/s/{name}", Role.PUBLIC, NOTHING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("route GET /s/{name} of second is already served as GET /s/{id} by first");
        table.registrar("second").get("/s/{name}/x", Role.PUBLIC, NOTHING);
        table.registrar("second").get("/s/literal", Role.PUBLIC, NOTHING);
        assertThat(table.close()).hasSize(4);
        assertThatThrownBy(() -> table.registrar("late").get("/late", Role.PUBLIC, NOTHING))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * Whatever routes are registered in whatever order, the route Javalin picks for a request
     * (the first in serving order that matches) is one that no other matching route beats: none
     * has a literal where the picked one has a parameter at the first segment where they differ.
     */
    @Test
    void aLiteralSegmentBeatsAParameterWhateverTheRegistrationOrder() {
        Property.check(200, draw -> literalsBeatParameters(new Random(draw.anyLong())));
    }

    private static void literalsBeatParameters(Random random) {
        var shapes = new ArrayList<List<String>>();
        for (int i = 0; i < 12; i++) {
            var shape = new ArrayList<String>();
            int length = 1 + random.nextInt(3);
            for (int s = 0; s < length; s++) {
                shape.add(random.nextInt(3) == 0 ? "{p" + s + "}" : List.of("a", "b").get(random.nextInt(2)));
            }
            if (shapes.stream().noneMatch(other -> sameShape(other, shape))) {
                shapes.add(shape);
            }
        }
        List<String> served = served(shapes, random);
        Collections.shuffle(shapes, random);
        assertThat(served(shapes, random)).as("serving order independent of registration order").isEqualTo(served);

        for (int r = 0; r < 50; r++) {
            var request = new ArrayList<String>();
            int length = 1 + random.nextInt(3);
            for (int s = 0; s < length; s++) {
                request.add(List.of("a", "b", "c").get(random.nextInt(3)));
            }
            List<List<String>> matching = served.stream().map(RouteTableTest::segments)
                    .filter(shape -> matches(shape, request)).toList();
            if (matching.isEmpty()) {
                continue;
            }
            List<String> picked = matching.getFirst();
            for (List<String> other : matching) {
                assertThat(beats(other, picked)).as("request %s: %s picked over %s", request, picked, other).isFalse();
            }
        }
    }

    private static List<String> served(List<List<String>> shapes, Random random) {
        var table = new RouteTable();
        for (List<String> shape : shapes) {
            table.registrar("owner-" + random.nextInt(3)).get("/" + String.join("/", shape), Role.USER, NOTHING);
        }
        return table.close().stream().map(RouteTable.Route::path).collect(Collectors.toList());
    }

    private static List<String> segments(String path) {
        return List.of(path.substring(1).split("/"));
    }

    private static boolean sameShape(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            boolean parameter = a.get(i).startsWith("{");
            if (parameter != b.get(i).startsWith("{") || !parameter && !a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(List<String> shape, List<String> request) {
        if (shape.size() != request.size()) {
            return false;
        }
        for (int i = 0; i < shape.size(); i++) {
            if (!shape.get(i).startsWith("{") && !shape.get(i).equals(request.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a} is more specific than {@code b}: a literal where {@code b} has a parameter, at the first difference in kind. */
    private static boolean beats(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            boolean aParameter = a.get(i).startsWith("{");
            boolean bParameter = b.get(i).startsWith("{");
            if (aParameter != bParameter) {
                return !aParameter;
            }
        }
        return false;
    }
}
