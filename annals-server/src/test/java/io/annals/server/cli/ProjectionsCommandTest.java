package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.projection.ProjectionOptions;
import io.annals.projection.ProjectionRuntime;
import io.annals.projection.ProjectionStatus;
import io.annals.projection.ProjectionState;
import io.annals.projection.node.ProjectionsModule;
import io.annals.server.AnnalsNode;
import io.annals.server.CountingProjection;
import io.annals.server.NodeConfig;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.StoreApiModule;
import io.annals.server.store.StoreSettings;
import io.annals.store.ExpectedVersion;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code annals projections list|rebuild} against a node in this process, over SQLite, with keys. */
class ProjectionsCommandTest {

    private static final String USER_KEY = "user-secret";
    private static final String ADMIN_KEY = "admin-secret";

    @TempDir
    Path directory;

    private AnnalsNode node(AtomicReference<ProjectionRuntime> runtime) {
        var counts = new CountingProjection();
        counts.poisoned.set(false);
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(ApiKeys.of(USER_KEY, ADMIN_KEY));
        var store = SqliteEventStore.open(directory.resolve("node.db"));
        var events = new ArrayList<EventData>();
        for (int i = 0; i < 500; i++) {
            events.add(EventData.of("Placed", "{\"n\":" + i + "}"));
        }
        for (int s = 0; s < 10; s++) {
            store.append(StreamId.of("order-" + s), ExpectedVersion.noStream(), events);
        }
        return AnnalsNode.start(config, store, List.of(new StoreApiModule(), new ProjectionsModule(r -> {
            r.register(counts, ProjectionOptions.DEFAULTS);
            runtime.set(r);
        })));
    }

    @Test
    void listsTheProjectionsAndRebuildsOneUntilItIsLiveAgain() {
        var runtime = new AtomicReference<ProjectionRuntime>();
        try (var node = node(runtime)) {
            String url = node.baseUri().toString();

            CliRun list = CliRun.annals("projections", "list", "--url", url, "--admin-key", ADMIN_KEY);
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out().lines().toList().getFirst()).startsWith("NAME").contains("STATE", "LAG", "ERRORS");
            assertThat(list.out()).contains("counts");

            CliRun rebuild = CliRun.annals("projections", "rebuild", "counts", "--url", url, "--admin-key", ADMIN_KEY);

            assertThat(rebuild.code()).as(rebuild.err()).isZero();
            assertThat(rebuild.out()).contains("rebuilt counts", "live, 0 events behind");
            ProjectionStatus status = runtime.get().status("counts").orElseThrow();
            assertThat(status.state()).isEqualTo(ProjectionState.LIVE);
            assertThat(status.rebuild()).isEmpty();
        }
    }

    @Test
    void refusalsSayWhatTheNodeSaidAndWhichOptionGivesTheKey() {
        try (var node = node(new AtomicReference<>())) {
            String url = node.baseUri().toString();

            CliRun unknown = CliRun.annals("projections", "rebuild", "nothing", "--url", url, "--admin-key", ADMIN_KEY);
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(unknown.err()).contains("404", "no projection nothing");

            CliRun userKey = CliRun.annals("projections", "list", "--url", url, "--api-key", USER_KEY);
            assertThat(userKey.code()).isEqualTo(1);
            assertThat(userKey.err()).contains("403", "--admin-key");

            CliRun noKey = CliRun.annals("projections", "list", "--url", url);
            assertThat(noKey.code()).isEqualTo(1);
            assertThat(noKey.err()).contains("401", "--admin-key");
        }
        CliRun gone = CliRun.annals("projections", "list", "--url", "http://127.0.0.1:1");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("cannot reach the node at http://127.0.0.1:1/");

        CliRun badUrl = CliRun.annals("projections", "list", "--url", "ftp://somewhere");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--url");
    }
}
