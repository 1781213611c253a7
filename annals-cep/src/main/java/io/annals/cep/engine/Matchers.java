package io.annals.cep.engine;

import io.annals.cep.CepLimits;
import io.annals.cep.Contiguity;
import io.annals.cep.Pattern;
import io.annals.cep.Stage;
import java.util.function.ToLongFunction;

/**
 * Picks the state a pattern needs. "N events within T" keeps, per key, only the last N-1 events
 * (a ring); "A not followed by B within T" only the waiting As, with one deadline each; every
 * other pattern runs on the general automaton. All give the same matches: the oracle test runs
 * patterns of every shape.
 */
public final class Matchers {

    private Matchers() {
    }

    public static <E, K> Matcher<E, K> compile(Pattern<E> pattern, CepLimits limits, ToLongFunction<? super E> eventTime,
                                               MatchSink<E, K> sink) {
        if (isCount(pattern)) {
            return new CountMatcher<>(pattern, limits, eventTime, sink);
        }
        if (AbsenceMatcher.fits(pattern)) {
            return new AbsenceMatcher<>(pattern, limits, eventTime, sink);
        }
        return new NfaMatcher<>(pattern, limits, eventTime, sink);
    }

    /** One relaxed stage of a fixed count, with a plain condition and a window. */
    static boolean isCount(Pattern<?> pattern) {
        if (pattern.stages().size() != 1 || pattern.within() == null) {
            return false;
        }
        Stage<?> stage = pattern.stages().getFirst();
        return stage.min() == stage.max() && stage.contiguity() == Contiguity.RELAXED
                && !stage.condition().readsMatchSoFar();
    }
}
