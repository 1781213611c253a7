package io.annals.bench.cep;

import java.util.SplittableRandom;

/**
 * The failed-logins workload: login events of many users, some failed, event time advancing one
 * millisecond per event. Held as arrays so that generating it costs no comparator anything.
 */
record LoginWorkload(int[] users, boolean[] failed, String[] userIds, long startTime) {

    static final long START = 1_767_225_600_000L;

    static LoginWorkload generate(int events, int userCount, double failedShare, long seed) {
        var random = new SplittableRandom(seed);
        var users = new int[events];
        var failed = new boolean[events];
        for (int i = 0; i < events; i++) {
            users[i] = random.nextInt(userCount);
            failed[i] = random.nextDouble() < failedShare;
        }
        var userIds = new String[userCount];
        for (int user = 0; user < userCount; user++) {
            userIds[user] = "user-" + user;
        }
        return new LoginWorkload(users, failed, userIds, START);
    }

    int size() {
        return users.length;
    }

    long time(int index) {
        return startTime + index;
    }
}
