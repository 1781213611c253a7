package io.annals.bench.cep;

import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.core.event.Event;
import io.siddhi.core.stream.input.InputHandler;
import io.siddhi.core.stream.output.StreamCallback;
import java.util.HashMap;

/**
 * Siddhi 5.1 running the failed-logins pattern, partitioned by user, on the events' own
 * timestamps (playback). Siddhi has no skip-past-last-event strategy: it reports every run that
 * {@code every} starts, and this keeps, per user, the last kept alert's end and drops alerts that
 * start at or before it, which is what skip past last event means.
 */
final class SiddhiRun {

    static final String APP = """
            @app:playback
            define stream Logins (userId string, failed bool, ts long);
            partition with (userId of Logins)
            begin
              from every e1=Logins[failed == true] -> e2=Logins[failed == true] -> e3=Logins[failed == true]
                within 5 min
              select e1.userId as userId, e1.ts as firstTs, e3.ts as lastTs
              insert into Alerts;
            end;
            """;

    private SiddhiRun() {
    }

    static long failedLogins(LoginWorkload workload, int limit) throws InterruptedException {
        var manager = new SiddhiManager();
        SiddhiAppRuntime runtime = manager.createSiddhiAppRuntime(APP);
        var lastEnd = new HashMap<String, Long>();
        long[] alerts = {0};
        runtime.addCallback("Alerts", new StreamCallback() {
            @Override
            public void receive(Event[] events) {
                for (Event event : events) {
                    String user = (String) event.getData(0);
                    long first = (Long) event.getData(1);
                    long last = (Long) event.getData(2);
                    Long end = lastEnd.get(user);
                    if (end == null || first > end) {
                        lastEnd.put(user, last);
                        alerts[0]++;
                    }
                }
            }
        });
        runtime.start();
        InputHandler input = runtime.getInputHandler("Logins");
        int[] users = workload.users();
        boolean[] failed = workload.failed();
        String[] ids = workload.userIds();
        try {
            for (int i = 0; i < limit; i++) {
                long time = workload.time(i);
                input.send(time, new Object[] {ids[users[i]], failed[i], time});
            }
        } finally {
            runtime.shutdown();
            manager.shutdown();
        }
        return alerts[0];
    }
}
