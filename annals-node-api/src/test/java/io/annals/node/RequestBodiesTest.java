package io.annals.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    @Test
    void readsJsonAndJsonSuffixedTypesWithAnyParametersAsJson() {
        for (String json : List.of("application/json", "Application/JSON", "application/json; charset=utf-8",
                " application/json ;charset=UTF-8", "application/vnd.annals.events+json", "application/problem+json")) {
            assertThat(RequestBodies.isJson(json)).as(json).isTrue();
        }
        for (String other : List.of("", "text/plain", "application/x-www-form-urlencoded", "text/json", "application/jsonx",
                "application/+json", "multipart/form-data; boundary=x", "json")) {
            assertThat(RequestBodies.isJson(other)).as(other).isFalse();
        }
    }

    @Test
    void refusesAnotherMediaTypeAndAMissingOneWith415() {
        RequestBodies.requireJson("application/json");

        for (String refused : new String[] {"text/plain", null}) {
            assertThatThrownBy(() -> RequestBodies.requireJson(refused)).as(String.valueOf(refused))
                    .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.status()).isEqualTo(415));
        }
    }

    @Test
    void tellsUtf8FromUtf16AndUtf32WithOrWithoutAByteOrderMark() {
        String json = "[{\"type\":\"A\"}]";
        assertThat(RequestBodies.looksLikeUtf8(json.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(RequestBodies.looksLikeUtf8("7".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(RequestBodies.looksLikeUtf8(("\uFEFF" + json).getBytes(StandardCharsets.UTF_8))).isTrue();
        for (Charset wide : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"))) {
            assertThat(RequestBodies.looksLikeUtf8(json.getBytes(wide))).as(wide.name()).isFalse();
            assertThat(RequestBodies.looksLikeUtf8(("\uFEFF" + json).getBytes(wide))).as(wide.name() + " with BOM").isFalse();
        }
    }
}
