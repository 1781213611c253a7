package io.annals.bench.cep;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The absence workload: users register, and most confirm their email some time later, between
 * at once and twenty minutes on; event time advances one millisecond per event.
 *
 * @param confirmation whether event {@code i} is a confirmation (else a registration)
 */
record RegistrationWorkload(int[] users, boolean[] confirmation, long startTime) {

    static RegistrationWorkload generate(int events, double confirmedShare, long seed) {
        var random = new SplittableRandom(seed);
        var users = new int[events];
        var confirmation = new boolean[events];
        var due = new PriorityQueue<long[]>((a, b) -> Long.compare(a[0], b[0]));
        int nextUser = 0;
        for (int i = 0; i < events; i++) {
            long[] first = due.peek();
            if (first != null && first[0] <= i) {
                due.poll();
                users[i] = (int) first[1];
                confirmation[i] = true;
            } else {
                int user = nextUser++;
                users[i] = user;
                if (random.nextDouble() < confirmedShare) {
                    due.add(new long[] {i + 1 + random.nextInt(1_200_000), user});
                }
            }
        }
        return new RegistrationWorkload(users, confirmation, LoginWorkload.START);
    }

    int size() {
        return users.length;
    }
}
