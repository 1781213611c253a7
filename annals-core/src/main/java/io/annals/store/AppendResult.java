package io.annals.store;

import io.annals.event.Position;

/**
 * What a successful append tells the writer.
 *
 * @param nextExpectedVersion the version of the last event written, the expected version of the next append
 * @param position            the global position of the last event written
 */
public record AppendResult(long nextExpectedVersion, Position position) {
}
