package io.annals.store.sqlite;

import io.annals.store.AppendResult;

/** An append's result, and whether it wrote anything (false: it repeated an earlier append). */
record AppendOutcome(AppendResult result, boolean written) {
}
