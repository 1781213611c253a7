package io.annals.cep.engine;

import io.annals.cep.Match;

/** Where a matcher reports its matches. */
@FunctionalInterface
public interface MatchSink<E, K> {

    void emit(Match<E, K> match);
}
