package io.annals.bench.cep;

import io.annals.cep.CepEngine;
import io.annals.cep.Pattern;
import io.annals.cep.SkipStrategy;
import java.time.Duration;

/** The comparators of the CEP suite; each runs a workload (or its first {@code limit} events) and counts alerts. */
final class Runs {

    static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    sealed interface Login permits LoginFailed, LoginSucceeded {
        String userId();

        long time();
    }

    record LoginFailed(String userId, long time) implements Login {
    }

    record LoginSucceeded(String userId, long time) implements Login {
    }

    sealed interface Signup permits Registered, EmailConfirmed {
        int user();

        long time();
    }

    record Registered(int user, long time) implements Signup {
    }

    record EmailConfirmed(int user, long time) implements Signup {
    }

    static final Pattern<Login> FAILED_LOGINS = Pattern.<Login, LoginFailed>begin("failures", LoginFailed.class)
            .times(3)
            .within(FIVE_MINUTES)
            .skip(SkipStrategy.SKIP_PAST_LAST_EVENT)
            .named("SuspiciousUserActivity");

    static final Pattern<Signup> UNCONFIRMED = Pattern.<Signup, Registered>begin("registered", Registered.class)
            .notFollowedBy("confirmed", EmailConfirmed.class)
            .within(TEN_MINUTES)
            .named("UnconfirmedRegistration");

    private Runs() {
    }

    /** Annals' engine; returns the alerts. The engine is left in {@code holder} for the heap measurement. */
    static long annalsFailedLogins(LoginWorkload workload, int limit, Object[] holder) {
        long[] alerts = {0};
        var engine = CepEngine.builder(FAILED_LOGINS, Login::userId, Login::time).onMatch(match -> alerts[0]++).build();
        int[] users = workload.users();
        boolean[] failed = workload.failed();
        String[] ids = workload.userIds();
        for (int i = 0; i < limit; i++) {
            String user = ids[users[i]];
            engine.process(failed[i] ? new LoginFailed(user, workload.time(i)) : new LoginSucceeded(user, workload.time(i)));
        }
        engine.advanceWatermark(Long.MAX_VALUE);
        holder[0] = engine;
        return alerts[0];
    }

    /**
     * The hand-written limit for this one pattern: per user, a ring of the last two failures'
     * times and the end of the last alert; no objects per event.
     */
    static long ringBufferFailedLogins(LoginWorkload workload, int limit) {
        int users = workload.userIds().length;
        long[] older = new long[users];
        long[] newer = new long[users];
        byte[] held = new byte[users];
        long window = FIVE_MINUTES.toMillis();
        long alerts = 0;
        int[] user = workload.users();
        boolean[] failed = workload.failed();
        for (int i = 0; i < limit; i++) {
            if (!failed[i]) {
                continue;
            }
            int u = user[i];
            long time = workload.time(i);
            int count = held[u];
            if (count == 2 && time - older[u] > window) {
                older[u] = newer[u];
                count = 1;
            }
            if (count == 1 && time - older[u] > window) {
                count = 0;
            }
            if (count == 2) {
                alerts++;
                held[u] = 0;
            } else if (count == 1) {
                newer[u] = time;
                held[u] = 2;
            } else {
                older[u] = time;
                held[u] = 1;
            }
        }
        return alerts;
    }

    static long annalsAbsence(RegistrationWorkload workload, int limit) {
        long[] alerts = {0};
        var engine = CepEngine.builder(UNCONFIRMED, Signup::user, Signup::time).onMatch(match -> alerts[0]++).build();
        int[] users = workload.users();
        boolean[] confirmation = workload.confirmation();
        long start = workload.startTime();
        for (int i = 0; i < limit; i++) {
            engine.process(confirmation[i] ? new EmailConfirmed(users[i], start + i) : new Registered(users[i], start + i));
        }
        engine.advanceWatermark(Long.MAX_VALUE);
        return alerts[0];
    }
}
