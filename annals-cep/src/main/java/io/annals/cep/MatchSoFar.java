package io.annals.cep;

import java.util.List;

/** The events a partial match has taken so far, for conditions that look back. */
public interface MatchSoFar<E> {

    /** All taken events, oldest first. */
    List<E> events();

    /** The events taken by the named stage, oldest first; empty when it took none. */
    List<E> events(String stage);
}
