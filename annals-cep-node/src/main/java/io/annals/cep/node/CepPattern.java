package io.annals.cep.node;

import io.annals.cep.store.CepProcessor;
import io.annals.cep.text.PatternDefinition;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import java.time.Duration;
import java.util.Objects;

/**
 * A pattern that an application hands to the {@code cep} module ({@link CepModule#CepModule(java.util.List)}),
 * run beside those of the settings and shown, checked and measured as they are, but with its own
 * name, input and lateness; the module's {@code tick}, {@code checkpoint-every} and caps apply.
 *
 * @param name       the processor's name: its matches go to {@code cep-<name>}, its meters are tagged with it
 * @param definition the pattern
 * @param input      which events it reads
 * @param lateness   how far behind the latest event time an event may arrive and still match
 */
public record CepPattern(String name, PatternDefinition definition, EventFilter input, Duration lateness) {

    public CepPattern {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(input, "input");
        if (name == null || name.contains("-") || !StreamId.isValid(CepProcessor.CHECKPOINT_CATEGORY + "-" + name + "-1")) {
            throw new IllegalArgumentException("a pattern's name names its streams, so it may hold letters, digits and . _ : @ only, got '"
                    + name + "'");
        }
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("the lateness must not be negative, got " + lateness);
        }
    }
}
