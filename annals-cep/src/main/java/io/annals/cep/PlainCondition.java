package io.annals.cep;

import java.util.function.Predicate;

/** A condition on the event alone, which the engine may evaluate without a match in hand. */
public record PlainCondition<E>(Predicate<? super E> predicate) implements Condition<E> {

    private static final PlainCondition<Object> ALWAYS = new PlainCondition<>(event -> true);

    @SuppressWarnings("unchecked")
    public static <E> Condition<E> always() {
        return (Condition<E>) (Condition<?>) ALWAYS;
    }

    @Override
    public boolean test(E event, MatchSoFar<E> soFar) {
        return predicate.test(event);
    }

    @Override
    public boolean readsMatchSoFar() {
        return false;
    }

    /** Both conditions; plain when both are. */
    static <E> Condition<E> and(Condition<E> first, Condition<E> second) {
        if (first == ALWAYS) {
            return second;
        }
        if (first instanceof PlainCondition<E>(var a) && second instanceof PlainCondition<E>(var b)) {
            return new PlainCondition<E>(event -> a.test(event) && b.test(event));
        }
        return (event, soFar) -> first.test(event, soFar) && second.test(event, soFar);
    }
}
