package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.dashboard.DashboardModule;
import io.annals.event.RecordedEvent;
import io.annals.projection.Projection;
import io.annals.projection.ProjectionOptions;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import io.annals.projection.node.ProjectionsModule;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.StoreApiModule;
import io.annals.server.store.StoreSettings;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: a node over SQLite in this JVM, the Debian Chromium driven
 * headless through chromedriver. Any error in the page's console fails the test.
 * <p>
 * {@code -Dannals.screenshots=DIR} also saves a PNG of each view it visits into DIR (how
 * {@code docs/screenshots/} is made; see docs/server.md).
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path directory;

    private AnnalsNode node;
    private WebDriver browser;
    private WebDriverWait wait;

    /** Counts each stream's events: a read model to rebuild. */
    private static final class Counts implements Projection {
        @Override
        public String name() {
            return "event-counts";
        }

        @Override
        public Selection selection() {
            return Selection.ALL;
        }

        @Override
        public List<String> tables() {
            return List.of("event_counts");
        }

        @Override
        public void createTables(ReadModel model) throws SQLException {
            try (Statement statement = model.connection().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + model.table("event_counts")
                        + " (stream_id TEXT PRIMARY KEY, events INTEGER NOT NULL)");
            }
        }

        @Override
        public void apply(RecordedEvent event, ReadModel model) throws SQLException {
            try (PreparedStatement upsert = model.connection().prepareStatement("INSERT INTO " + model.table("event_counts")
                    + " (stream_id, events) VALUES (?, 1) ON CONFLICT (stream_id) DO UPDATE SET events = events + 1")) {
                upsert.setString(1, event.streamId().value());
                upsert.executeUpdate();
            }
        }
    }

    private void startNode(ApiKeys keys) {
        var store = SqliteEventStore.open(directory.resolve("node.db"));
        var config = NodeConfig.ephemeral(new StoreSettings.InMemory()).withKeys(keys)
                .withSettings(Map.of("dashboard.sample-interval", "500ms"));
        node = AnnalsNode.start(config, store, List.of(new StoreApiModule(), new DashboardModule(),
                new ProjectionsModule(runtime -> runtime.register(new Counts(), ProjectionOptions.DEFAULTS)),
                new DashboardModuleTest.UserStates()));
    }

    @BeforeEach
    void startBrowser() {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("this test drives " + CHROMIUM + " through " + CHROMEDRIVER
                        + ": install them (Debian: apt-get install chromium chromium-driver)")
                .isTrue();
        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,900");
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void anOperatorFollowsAUserFromRegistrationToItsStatesAndRebuildsAProjection() throws Exception {
        startNode(ApiKeys.NONE);
        var client = new NodeClient(node.baseUri());
        browser.get(node.baseUri() + "#/tail");
        wait.until(ExpectedConditions.textToBe(By.id("tail-state"), "live"));

        // registered through the API while the page watches
        assertThat(client.post("/api/streams/user-ada", """
                [{"type":"UserRegistered","data":{"userId":"ada","email":"ada@example.com","name":"Ada"},"tags":["user:ada"]},
                 {"type":"UserEmailChanged","data":{"userId":"ada","oldEmail":"ada@example.com","newEmail":"ada@lovelace.org"},"tags":["user:ada"]}]
                """).status()).isEqualTo(201);
        assertThat(client.post("/api/streams/order-7", "[{\"type\":\"OrderPlaced\",\"data\":{\"total\":12}}]").status()).isEqualTo(201);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tail tr[data-type='UserRegistered'][data-stream='user-ada']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tail tr[data-type='OrderPlaced']")));
        screenshot("live-tail");

        // the filter by tag keeps the user's events only
        browser.findElement(By.id("tail-tag")).sendKeys("user:ada");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tail tbody tr"), 2));

        // time travel: the decider's state at each version, and what each event changed
        browser.findElement(By.cssSelector("#tail tr[data-type='UserRegistered'] a")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fold"), "decider"));
        assertThat(browser.findElement(By.id("state")).getText()).contains("ada@lovelace.org");
        browser.findElement(By.cssSelector("#timeline tr[data-version='0']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "ada@example.com"));
        assertThat(browser.findElement(By.id("version-label")).getText()).isEqualTo("Version 0 of 1");
        browser.findElement(By.cssSelector("#timeline tr[data-version='1']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("diff"), "email changed"));
        assertThat(browser.findElement(By.id("diff")).getText()).contains("\"ada@example.com\" → \"ada@lovelace.org\"");
        screenshot("time-travel");

        // a stream without a decider is folded by merging its data
        browser.get(node.baseUri() + "#/streams/order-7");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fold"), "merged"));
        assertThat(browser.findElement(By.id("state")).getText()).contains("\"total\": 12");

        // projections: rebuild one and see it come back to live
        browser.get(node.baseUri() + "#/projections");
        By counts = By.cssSelector("#projections tr[data-projection='event-counts']");
        wait.until(ExpectedConditions.attributeToBe(counts, "data-state", "LIVE"));
        browser.findElement(By.cssSelector("button[data-rebuild='event-counts']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Rebuilding event-counts."));
        wait.until(ExpectedConditions.attributeToBe(counts, "data-state", "LIVE"));
        wait.until(driver -> driver.findElement(counts).findElements(By.cssSelector(".progress")).isEmpty());
        screenshot("projections");

        // the charts draw from the node's own samples
        browser.get(node.baseUri() + "#/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "store"));
        screenshot("overview");

        // the events browser lists what was appended, in global order
        browser.get(node.baseUri() + "#/events");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#events tbody tr"), 3));
        screenshot("events");

        // an operations view with nothing to operate on
        browser.get(node.baseUri() + "#/dead-letters");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letters"), "No dead letters."));

        assertNoConsoleErrors();
    }

    @Test
    void withKeysThePageAsksForOneAndOffersTheViewsItsRoleMayUse() {
        startNode(ApiKeys.of("reader", "operator"));
        browser.get(node.baseUri() + "#/projections");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input")));
        assertThat(browser.findElement(By.id("needs-key")).getText()).contains("enter one");

        browser.findElement(By.id("key-input")).sendKeys("wrong");
        browser.findElement(By.cssSelector("#key-form button[type='submit']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "did not accept this key"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input")));

        browser.findElement(By.id("key-input")).sendKeys("reader");
        browser.findElement(By.cssSelector("#key-form button[type='submit']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("tail-state"), "live"));
        assertThat(browser.findElement(By.id("needs-key")).getText()).contains("needs the admin key");
        assertThat(browser.findElements(By.cssSelector("nav a[data-view='projections']"))).isEmpty();

        browser.findElement(By.id("key-button")).click();
        browser.findElement(By.id("key-input")).sendKeys("operator");
        browser.findElement(By.cssSelector("#key-form button[type='submit']")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#projections tr[data-projection='event-counts']"), "data-state", "LIVE"));
        assertThat(browser.findElement(By.id("key-button")).getText()).isEqualTo("Key: admin");

        assertNoConsoleErrors();
    }

    private void assertNoConsoleErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    private void screenshot(String name) throws IOException {
        String target = System.getProperty("annals.screenshots");
        if (target == null || target.isBlank()) {
            return;
        }
        Path directory = Path.of(target);
        Files.createDirectories(directory);
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(directory.resolve(name + ".png"), png);
    }
}
