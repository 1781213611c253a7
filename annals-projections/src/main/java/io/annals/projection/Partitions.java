package io.annals.projection;

import io.annals.event.StreamId;

/** Which partition a stream's events belong to: all events of one stream go to one partition, in order. */
public final class Partitions {

    private Partitions() {
    }

    /** {@code String.hashCode} is specified by the language, so every process computes the same partition. */
    public static int of(StreamId stream, int partitions) {
        return Math.floorMod(stream.value().hashCode(), partitions);
    }
}
