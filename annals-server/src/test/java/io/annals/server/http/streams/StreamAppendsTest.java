package io.annals.server.http.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.node.ApiProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAppendsTest {

    @Test
    void readsJsonAndJsonSuffixedTypesWithAnyParametersAsJson() {
        for (String json : List.of("application/json", "Application/JSON", "application/json; charset=utf-8",
                " application/json ;charset=UTF-8", "application/vnd.annals.events+json", "application/problem+json")) {
            assertThat(StreamAppends.isJson(json)).as(json).isTrue();
        }
        for (String other : List.of("", "text/plain", "application/x-www-form-urlencoded", "text/json", "application/jsonx",
                "application/+json", "multipart/form-data; boundary=x", "json")) {
            assertThat(StreamAppends.isJson(other)).as(other).isFalse();
        }
    }

    @Test
    void refusesAnotherMediaTypeWith415ButLetsAMissingOnePass() {
        StreamAppends.requireJson(null);
        StreamAppends.requireJson("application/json");

        assertThatThrownBy(() -> StreamAppends.requireJson("text/plain"))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.status()).isEqualTo(415));
    }
}
