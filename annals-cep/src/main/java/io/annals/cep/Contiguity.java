package io.annals.cep;

/** How an element of a match may stand to the element taken before it. */
public enum Contiguity {
    /** The element must be the very next event of the partition. */
    STRICT,
    /**
     * Events in between are skipped, but only those that fail the element's condition: the first
     * event that satisfies it is taken ("skip till next match").
     */
    RELAXED
}
