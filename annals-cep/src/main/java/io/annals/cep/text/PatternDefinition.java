package io.annals.cep.text;

import io.annals.cep.Pattern;
import io.annals.event.RecordedEvent;
import java.util.Objects;

/** A pattern read from text, over the store's recorded events, with what it partitions by. */
public record PatternDefinition(Pattern<RecordedEvent> pattern, PartitionKey partitionBy) {

    public PatternDefinition {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(partitionBy, "partitionBy");
    }
}
