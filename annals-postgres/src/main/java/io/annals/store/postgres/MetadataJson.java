package io.annals.store.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.Metadata;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** Metadata as a flat JSON object of strings; empty metadata is stored as SQL NULL. */
final class MetadataJson {

    private static final JsonFactory JSON = new JsonFactory();

    private MetadataJson() {
    }

    static String write(Metadata metadata) {
        if (metadata.isEmpty()) {
            return null;
        }
        var out = new StringWriter(64);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, String> entry : metadata.values().entrySet()) {
                generator.writeStringField(entry.getKey(), entry.getValue());
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Metadata read(String json) {
        if (json == null) {
            return Metadata.EMPTY;
        }
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("metadata must be a JSON object");
            }
            var values = new TreeMap<String, String>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("metadata value of " + key + " must be a string");
                }
                values.put(key, parser.getText());
            }
            return values.isEmpty() ? Metadata.EMPTY : new Metadata(values);
        } catch (IOException e) {
            throw new IllegalArgumentException("metadata is not valid JSON: " + e.getMessage(), e);
        }
    }
}
