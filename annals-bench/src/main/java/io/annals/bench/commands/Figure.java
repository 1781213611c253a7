package io.annals.bench.commands;

/**
 * What one measurement of a commands case gives.
 *
 * @param perSecond         events written per second (one per successful operation)
 * @param conflictsPerSecond refused appends per second, for the contended case; NaN elsewhere
 */
record Figure(double perSecond, double conflictsPerSecond) {

    static Figure of(double perSecond) {
        return new Figure(perSecond, Double.NaN);
    }
}
