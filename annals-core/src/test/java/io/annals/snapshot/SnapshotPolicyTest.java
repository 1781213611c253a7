package io.annals.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotPolicyTest {

    @Test
    void everyNEventsFiresWhenAnAppendCrossesAMultipleOfN() {
        SnapshotPolicy policy = SnapshotPolicy.everyNEvents(100);
        assertThat(policy.shouldSnapshot(-1, 98)).isFalse();   // 99 events
        assertThat(policy.shouldSnapshot(98, 99)).isTrue();    // the 100th event
        assertThat(policy.shouldSnapshot(99, 150)).isFalse();
        assertThat(policy.shouldSnapshot(150, 260)).isTrue();  // jumped over 200 in one append
        assertThat(SnapshotPolicy.never().shouldSnapshot(-1, 1_000_000)).isFalse();
        assertThat(SnapshotPolicy.never().or(policy).shouldSnapshot(98, 99)).isTrue();
    }
}
