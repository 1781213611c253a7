package io.annals.cep;

/**
 * Caps on the state an engine holds. When one is reached the engine drops the oldest partial
 * match (of the key; for the total, of the least recently active key) and counts it in
 * {@link CepMetrics#droppedPartialMatches()}.
 */
public record CepLimits(int maxPartialMatchesPerKey, long maxPartialMatches) {

    public static final CepLimits DEFAULT = new CepLimits(1_000, 10_000_000);

    public CepLimits {
        if (maxPartialMatchesPerKey < 1 || maxPartialMatches < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
    }
}
