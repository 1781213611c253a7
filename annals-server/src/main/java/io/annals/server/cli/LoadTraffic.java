package io.annals.server.cli;

import java.util.SplittableRandom;

/**
 * The mix of calls a load run sends to the user API, one choice per slot of the rate: users
 * register until {@code --users} have, half of the calls while some are left; then, for a user
 * picked at random, a successful login (75%), a single failed one (10%), an email change (10%) or
 * a burst of {@value #BURST} failed logins one after another (5%), which the CEP pattern "three
 * failed logins within five minutes" turns into an alert. Seeded, so that a run's choices repeat.
 * Used by one thread: the pacer.
 */
final class LoadTraffic {

    /** Failed logins per burst: as many as the pattern needs, sent in a few milliseconds. */
    static final int BURST = 3;

    /** The calls, as the summary names them. */
    enum Call {
        REGISTER("register"), CHANGE_EMAIL("change-email"), LOGIN("login"), FAILED_LOGIN("failed-login");

        final String label;

        Call(String label) {
            this.label = label;
        }
    }

    /** What a slot sends: {@link #requests()} calls of one kind, one after another, to one user. */
    enum Choice {
        REGISTER(Call.REGISTER, 1), CHANGE_EMAIL(Call.CHANGE_EMAIL, 1), LOGIN(Call.LOGIN, 1),
        FAILED_LOGIN(Call.FAILED_LOGIN, 1), FAILED_BURST(Call.FAILED_LOGIN, BURST);

        final Call call;
        final int requests;

        Choice(Call call, int requests) {
            this.call = call;
            this.requests = requests;
        }

        /** Whether no other call that changes the user may run beside it: an email change decides over the user's email. */
        boolean exclusive() {
            return this == CHANGE_EMAIL || this == FAILED_BURST;
        }
    }

    /** The choices, drawn alike for every call whatever the answers so far, so that a seed gives the same mix. */
    private final SplittableRandom choices;
    /** The users picked, apart from the choices: how many have registered by then depends on the node. */
    private final SplittableRandom picks;
    private final int users;
    private int registrations;

    LoadTraffic(long seed, int users) {
        this.choices = new SplittableRandom(seed);
        this.picks = choices.split();
        this.users = users;
    }

    /**
     * The next choice, given how many users have registered so far, whether one of them is free
     * for an exclusive call, and how many requests the run has left to send; {@code null} when
     * every registration is sent and none has answered yet, so that the caller waits for one.
     */
    Choice next(int registered, boolean idleUser, long requestsLeft) {
        boolean coin = choices.nextBoolean();
        int roll = choices.nextInt(100);
        boolean registering = registrations < users;
        if (registering && (registered == 0 || coin)) {
            registrations++;
            return Choice.REGISTER;
        }
        if (registered == 0) {
            return null;
        }
        Choice choice = roll < 75 ? Choice.LOGIN : roll < 85 ? Choice.FAILED_LOGIN : roll < 95 ? Choice.CHANGE_EMAIL
                : Choice.FAILED_BURST;
        if ((choice.exclusive() && !idleUser) || choice.requests > requestsLeft) {
            return Choice.LOGIN;
        }
        return choice;
    }

    /** A user index in {@code [0, bound)}. */
    int pick(int bound) {
        return picks.nextInt(bound);
    }
}
