package io.annals.projection;

import io.annals.event.Position;

/**
 * A partition held by one runtime: the fence is the number its checkpoint writes must carry; a
 * later lease of the same partition has a higher one, so a writer that lost its lease while
 * paused cannot commit.
 */
record Lease(String projection, int generation, int partition, long fence, Position checkpoint) {
}
