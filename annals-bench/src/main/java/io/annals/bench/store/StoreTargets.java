package io.annals.bench.store;

import io.annals.bench.report.Target;
import io.annals.bench.report.Target.AtLeast;
import io.annals.bench.report.Target.AtLeastTimes;
import io.annals.bench.report.Target.AtMost;
import io.annals.bench.report.Target.AtMostTimes;
import io.annals.bench.store.cases.SubscriptionFanOutCase;
import io.annals.bench.subject.AxonSubject;
import io.annals.bench.subject.RawPostgresSubject;
import java.util.List;

/** The goals Annals is held to, per store and case, on the reference 2-core machine. */
public final class StoreTargets {

    private static final String RAW = RawPostgresSubject.NAME;
    private static final String AXON = AxonSubject.NAME;

    private StoreTargets() {
    }

    public static List<Target> forCase(StoreKind store, String caseName) {
        return switch (store) {
            case POSTGRES -> switch (caseName) {
                case "append-1-client" -> List.of(new AtLeastTimes(RAW, 0.8));
                case "append-64-clients" -> List.of(new AtLeast(30_000), new AtLeastTimes(RAW, 2.5),
                        new AtLeastTimes(AXON, 2.5));
                case "append-batch-100" -> List.of(new AtLeastTimes(RAW, 0.7));
                case "import-copy" -> List.of(new AtLeastTimes(RAW, 0.6));
                case "read-all" -> List.of(new AtLeastTimes(RAW, 0.7), new AtLeast(200_000));
                case "load-aggregate-1000" -> List.of(new AtMostTimes(RAW, 1.5));
                case "subscription-latency-p99" -> List.of(new AtMost(10));
                case "fan-out-50-subscriptions" -> List.of(new AtLeastTimes(SubscriptionFanOutCase.SINGLE, 0.5));
                default -> List.of();
            };
            case SQLITE -> switch (caseName) {
                case "append-1-client" -> List.of(new AtLeastTimes(RAW, 0.7));
                case "append-64-clients" -> List.of(new AtLeast(100_000));
                case "append-batch-100" -> List.of(new AtLeastTimes(RAW, 0.7));
                case "read-all" -> List.of(new AtLeast(500_000));
                case "load-aggregate-1000" -> List.of(new AtMostTimes(RAW, 1.5));
                case "fan-out-50-subscriptions" -> List.of(new AtLeastTimes(SubscriptionFanOutCase.SINGLE, 0.5));
                default -> List.of();
            };
        };
    }
}
