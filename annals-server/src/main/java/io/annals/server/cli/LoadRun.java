package io.annals.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.server.cli.LoadTraffic.Call;
import io.annals.server.cli.LoadTraffic.Choice;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run: open loop, a slot every {@code 1/rate} seconds for {@code duration}, each slot's
 * calls sent on a virtual thread of their own whether or not earlier ones have been answered, so
 * that a slow node meets the same arrivals as a fast one. A latency runs from the slot's time
 * (not from when the request happened to leave), so time spent queueing behind a slow answer is
 * counted, not hidden. A burst's later failures are sent after the earlier ones are answered.
 */
final class LoadRun {

    /** A registered user; held by one exclusive call at a time (see {@link Users}). */
    private static final class User {
        final String id;
        final int index;
        int emailChanges;

        User(String id, int index) {
            this.id = id;
            this.index = index;
        }
    }

    /** The registered users, and those no exclusive call holds. Shared by the pacer and the requests. */
    private static final class Users {
        private final List<User> all = new ArrayList<>();
        private final List<User> idle = new ArrayList<>();
        private int registrationsOpen;

        synchronized void registering() {
            registrationsOpen++;
        }

        synchronized void registered(User user) {
            all.add(user);
            idle.add(user);
            registrationsOpen--;
            notifyAll();
        }

        synchronized void notRegistered() {
            registrationsOpen--;
            notifyAll();
        }

        synchronized int count() {
            return all.size();
        }

        synchronized boolean anyIdle() {
            return !idle.isEmpty();
        }

        synchronized User any(LoadTraffic traffic) {
            return all.get(traffic.pick(all.size()));
        }

        /** An idle user, now held until {@link #release}. */
        synchronized User take(LoadTraffic traffic) {
            int at = traffic.pick(idle.size());
            User user = idle.get(at);
            idle.set(at, idle.getLast());
            idle.removeLast();
            return user;
        }

        synchronized void release(User user) {
            idle.add(user);
        }

        /** Waits until a user has registered; false when none will (every registration has failed). */
        synchronized boolean awaitOne() throws InterruptedException {
            while (all.isEmpty() && registrationsOpen > 0) {
                wait();
            }
            return !all.isEmpty();
        }
    }

    /** What the run saw, with the users its bursts aimed at; {@code stopped} says why it ended early, if it did. */
    record Outcome(LoadRecorder recorder, double seconds, int registered, int bursts, int burstUsers, Optional<String> stopped) {
    }

    private final RemoteNode node;
    private final long slots;
    private final double rate;
    private final LoadTraffic traffic;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final ProgressBar bar;
    private final LoadRecorder recorder = new LoadRecorder();
    private final Users users = new Users();
    private int registrationNumber;
    private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

    LoadRun(RemoteNode node, int userCount, double rate, Duration duration, long seed, int maxInFlight, ProgressBar bar) {
        this.node = node;
        this.rate = rate;
        this.slots = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        this.traffic = new LoadTraffic(seed, userCount);
        this.inFlight = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.bar = bar;
    }

    Outcome run() throws InterruptedException {
        long start = System.nanoTime();
        double interval = 1e9 / rate;
        int bursts = 0;
        Set<User> burstUsers = new HashSet<>();
        String stopped = null;
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            long slot = 0;
            while (slot < slots) {
                long due = start + Math.round(slot * interval);
                waitUntil(due);
                show(start, slot);
                Choice choice = traffic.next(users.count(), users.anyIdle(), slots - slot);
                if (choice == null) {
                    if (!users.awaitOne()) {
                        stopped = "no user could register, so the run stopped: " + recorder.firstError().orElse("no answer");
                        break;
                    }
                    continue;
                }
                long[] times = new long[choice.requests];
                for (int i = 0; i < times.length; i++) {
                    times[i] = start + Math.round((slot + i) * interval);
                }
                slot += choice.requests;
                if (!inFlight.tryAcquire()) {
                    for (int i = 0; i < choice.requests; i++) {
                        recorder.failed(choice.call, "not sent: " + maxInFlight + " requests were waiting for answers (--max-in-flight)");
                    }
                    continue;
                }
                User user = switch (choice) {
                    case REGISTER -> null;
                    case LOGIN, FAILED_LOGIN -> users.any(traffic);
                    case CHANGE_EMAIL, FAILED_BURST -> users.take(traffic);
                };
                if (choice == Choice.FAILED_BURST) {
                    bursts++;
                    burstUsers.add(user);
                }
                if (choice == Choice.REGISTER) {
                    users.registering();
                }
                int registration = choice == Choice.REGISTER ? registrationNumber++ : -1;
                requests.submit(() -> {
                    try {
                        send(choice, user, registration, times);
                    } finally {
                        if (choice.exclusive()) {
                            users.release(user);
                        }
                        inFlight.release();
                    }
                });
            }
            while (inFlight.availablePermits() < maxInFlight && bar != null) {
                bar.show(1.0, String.format(Locale.ROOT, "%s requests sent, waiting for %d answers",
                        ProjectionsCommand.count(slots), maxInFlight - inFlight.availablePermits()));
                Thread.sleep(100);
            }
        }
        return new Outcome(recorder, (System.nanoTime() - start) / 1e9, users.count(), bursts, burstUsers.size(),
                Optional.ofNullable(stopped));
    }

    private void show(long start, long slot) {
        if (bar != null) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            bar.show((double) slot / slots, () -> String.format(Locale.ROOT, "%s requests, %s errors, %.0f/s",
                    ProjectionsCommand.count(slot), ProjectionsCommand.count(recorder.errors()), slot / Math.max(elapsed, 1e-3)));
        }
    }

    private static void waitUntil(long due) {
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Sends a slot's calls, one after another, each no earlier than its slot and after the one before. */
    private void send(Choice choice, User user, int registration, long[] due) {
        long ready = due[0];
        for (long slotDue : due) {
            long from = Math.max(slotDue, ready);
            waitUntil(from);
            ready = call(choice, user, registration, from);
        }
    }

    /** One request; records it and returns when it ended. */
    private long call(Choice choice, User user, int registration, long due) {
        HttpRequest request = switch (choice) {
            case REGISTER -> node.request("/api/users").header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(json(Map.of("email", email(registration, 0), "name", "Load User " + registration))).build();
            case CHANGE_EMAIL -> node.request("/api/users/" + RemoteNode.segment(user.id) + "/email")
                    .header("Content-Type", "application/json")
                    .PUT(json(Map.of("email", email(user.index, ++user.emailChanges)))).build();
            case LOGIN, FAILED_LOGIN, FAILED_BURST -> node.request("/api/users/" + RemoteNode.segment(user.id) + "/logins")
                    .header("Content-Type", "application/json")
                    .POST(json(Map.of("success", choice == Choice.LOGIN))).build();
        };
        int expected = switch (choice) {
            case REGISTER -> 201;
            case CHANGE_EMAIL -> 200;
            case LOGIN, FAILED_LOGIN, FAILED_BURST -> 202;
        };
        RemoteNode.Answer answer;
        try {
            answer = node.send(request);
        } catch (IOException e) {
            failed(choice, connectionError(e));
            return System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(choice, "interrupted");
            return System.nanoTime();
        }
        long ended = System.nanoTime();
        if (answer.status() != expected) {
            String type = answer.problemType();
            failed(choice, answer.status() + " " + (type != null ? type : "(expected " + expected + ", not a problem)"));
            return ended;
        }
        if (choice == Choice.REGISTER) {
            JsonNode id = answer.json().get("userId");
            if (id == null || !id.isValueNode()) {
                failed(choice, "201 without a userId");
                return ended;
            }
            users.registered(new User(id.asText(), registration));
        }
        recorder.succeeded(choice.call, ended - due);
        return ended;
    }

    private void failed(Choice choice, String kind) {
        if (choice == Choice.REGISTER) {
            users.notRegistered();
        }
        recorder.failed(choice.call, kind);
    }

    /** Addresses unique to this run, so that runs against the same node do not collide. */
    private String email(int user, int change) {
        return "load-" + run + "-" + user + (change == 0 ? "" : "-" + change) + "@example.com";
    }

    private static HttpRequest.BodyPublisher json(Map<String, Object> body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(RemoteNode.JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String connectionError(IOException e) {
        return e instanceof RemoteNode.Unreachable unreachable ? unreachable.reason()
                : "connection: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
}
