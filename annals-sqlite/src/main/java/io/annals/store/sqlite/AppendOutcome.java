package io.annals.store.sqlite;

import io.annals.store.AppendResult;
import io.annals.store.AppendResults;

/** An append's results, one per stream, and whether it wrote anything (false: it repeated an earlier append). */
record AppendOutcome(AppendResults results, boolean written) {

    /** The result of an append to one stream. */
    AppendResult result() {
        return results.streams().getFirst();
    }
}
