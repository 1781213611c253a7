package io.annals.cep;

/**
 * What an engine has done and holds.
 *
 * @param events                events processed in event-time order
 * @param lateEvents            events that arrived behind the watermark and went to the late handler
 * @param matches               matches emitted
 * @param partialMatches        partial matches held now (waiting absences included)
 * @param keys                  partition keys with state now
 * @param droppedPartialMatches partial matches dropped because a cap was reached
 * @param bufferedEvents        events held to be put in event-time order
 * @param watermark             the watermark, epoch milliseconds ({@link Long#MIN_VALUE} before any event)
 */
public record CepMetrics(long events, long lateEvents, long matches, long partialMatches, long keys,
                         long droppedPartialMatches, long bufferedEvents, long watermark) {
}
