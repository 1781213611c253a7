package io.annals.kafka;

/**
 * The offset a handler keeps for a partition is not the one this consumer left there: another
 * consumer of the group has handled the partition since (a rebalance while this one was busy).
 * The handler's transaction is rolled back; the consumer reads the stored offset again and goes
 * on from there, without retrying or dead-lettering anything.
 */
public final class OffsetConflictException extends RuntimeException {

    public OffsetConflictException(String message) {
        super(message);
    }
}
