package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.annals.dashboard.DashboardModule;
import io.annals.server.http.ApiKeys;
import io.annals.server.http.StoreApiModule;
import io.annals.server.store.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
 * The dashboard in a real browser: a node over SQLite in this JVM serving the user example as
 * {@code annals serve} does, and the Debian Chromium driven headless through chromedriver. Any
 * error in the page's console fails the test.
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

    private void startNode(ApiKeys keys, Map<String, String> settings) {
        var config = NodeConfig.ephemeral(new StoreSettings.Sqlite(directory.resolve("store"))).withKeys(keys)
                .withModules(List.of(StoreApiModule.NAME, DashboardModule.NAME))
                .withSettings(Map.of("dashboard.sample-interval", "500ms")).withSettings(settings);
        node = Examples.start(config);
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
        startNode(ApiKeys.NONE, Map.of());
        var client = new NodeClient(node.baseUri());
        browser.get(node.baseUri() + "#/tail");
        wait.until(ExpectedConditions.textToBe(By.id("tail-state"), "live"));

        // registered through the API while the page watches
        String ada = register(client, "ada@example.com", "Ada Lovelace");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#tail tr[data-type='UserRegistered'][data-stream='user-" + ada + "']")));
        String grace = register(client, "grace@example.com", "Grace Hopper");
        register(client, "edsger@example.com", "Edsger Dijkstra");
        assertThat(client.send(client.request("/api/users/" + ada + "/email").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"email\":\"ada@lovelace.org\"}")).build()).status())
                .isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(client.post("/api/users/" + grace + "/logins", "{\"success\":false}").status()).isEqualTo(202);
        }
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tail tr[data-type='UserEmailChanged']")));
        screenshot("live-tail");

        // the filter by stream keeps one user's events
        browser.findElement(By.id("tail-stream")).sendKeys("user-" + ada);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tail tbody tr"), 2));

        // the users: listed, found by email, and one in detail with its events
        browser.get(node.baseUri() + "#/users");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#users tr[data-user='" + ada + "']"), "ada@lovelace.org"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#users tbody tr"), 3));
        screenshot("users");
        browser.findElement(By.id("user-email")).sendKeys("grace@example.com");
        browser.findElement(By.cssSelector("#user-email + button")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#users tbody tr"), 1));
        assertThat(browser.findElement(By.cssSelector("#users tbody tr")).getAttribute("data-user")).isEqualTo(grace);

        // a refusal of the API reads as its problem's title and detail
        browser.findElement(By.id("user-email")).clear();
        browser.findElement(By.id("user-email")).sendKeys("not-an-email");
        browser.findElement(By.cssSelector("#user-email + button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Invalid Email (400): "));

        browser.get(node.baseUri() + "#/users/" + ada);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#user-history tbody tr"), 2));

        // time travel: the decider's state at each version, and what each event changed
        browser.findElement(By.id("time-travel-link")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fold"), "decider"));
        assertThat(browser.findElement(By.id("state")).getText()).contains("ada@lovelace.org");
        browser.findElement(By.cssSelector("#timeline tr[data-version='0']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("version-label"), "Version 0 of 1"));
        assertThat(browser.findElement(By.id("state")).getText()).contains("ada@example.com").doesNotContain("lovelace.org");
        browser.findElement(By.cssSelector("#timeline tr[data-version='1']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("diff"), "email changed"));
        assertThat(browser.findElement(By.id("diff")).getText()).contains("\"ada@example.com\" → \"ada@lovelace.org\"");
        screenshot("time-travel");

        // the alert of three failed logins, as it happened
        browser.get(node.baseUri() + "#/cep");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#alerts tbody tr")));
        assertThat(browser.findElement(By.id("alerts")).getText()).contains("SuspiciousUserActivityDetected");
        screenshot("cep");

        // projections: rebuild the user directory and see it come back to live
        browser.get(node.baseUri() + "#/projections");
        By directory = By.cssSelector("#projections tr[data-projection='user-directory']");
        wait.until(ExpectedConditions.attributeToBe(directory, "data-state", "LIVE"));
        browser.findElement(By.cssSelector("button[data-rebuild='user-directory']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Rebuilding user-directory."));
        wait.until(ExpectedConditions.attributeToBe(directory, "data-state", "LIVE"));
        wait.until(driver -> driver.findElement(directory).findElements(By.cssSelector(".progress")).isEmpty());
        screenshot("projections");

        // the charts draw from the node's own samples
        browser.get(node.baseUri() + "#/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("view"), "users"));
        screenshot("overview");

        browser.get(node.baseUri() + "#/events");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events tbody tr")));
        screenshot("events");

        // the operations views with nothing to operate on
        browser.get(node.baseUri() + "#/dead-letters");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letters"), "No dead letters."));
        browser.get(node.baseUri() + "#/sagas");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sagas"), "No sagas."));

        // the one error the browser logs is the answer the test asked for
        assertNoConsoleErrors("/api/users?email=not-an-email - Failed to load resource: the server responded with a status of 400");
    }

    @Test
    void withKeysThePageAsksForOneAndOffersTheViewsItsRoleMayUseAndAnAdminResolvesASaga() throws IOException {
        // the provisioning service creates accounts and refuses all else: the saga's welcome and then its undoing fail
        HttpServer provisioning = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provisioning.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean account = exchange.getRequestMethod().equals("PUT") && exchange.getRequestURI().getPath().startsWith("/accounts/");
            exchange.sendResponseHeaders(account ? 200 : 500, -1);
            exchange.close();
        });
        provisioning.start();
        try {
            signInAndResolveASaga(provisioning);
        } finally {
            provisioning.stop(0);
        }
    }

    private void signInAndResolveASaga(HttpServer provisioning) throws IOException {
        startNode(ApiKeys.of("reader", "operator"), Map.of(
                "users.provisioning-url", "http://127.0.0.1:" + provisioning.getAddress().getPort(),
                "users.provisioning-timeout", "1s"));
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
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#projections tr[data-projection='user-directory']"), "data-state", "LIVE"));
        assertThat(browser.findElement(By.id("key-button")).getText()).isEqualTo("Key: admin");

        String lin = register(new NodeClient(node.baseUri()).withKey("operator"), "lin@example.com", "Lin");
        browser.get(node.baseUri() + "#/sagas");
        By saga = By.cssSelector("#sagas tr[data-saga='provision-" + lin + "']");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.attributeToBe(saga, "data-status", "needs-attention"));
        screenshot("sagas");
        browser.findElement(saga).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("saga-steps"), "account"));
        assertThat(browser.findElement(By.id("saga-facts")).getText()).contains("needs-attention");
        browser.findElement(By.id("saga-note")).sendKeys("the account was removed by hand");
        browser.findElement(By.id("saga-resolve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "now resolved"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("saga-history"), "the account was removed by hand"));
        screenshot("saga");

        assertNoConsoleErrors();
    }

    private static String register(NodeClient client, String email, String name) {
        var response = client.post("/api/users", "{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("userId").asText();
    }

    /** Fails on any error in the browser's console but those that contain one of {@code expected}. */
    private void assertNoConsoleErrors(String... expected) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> Arrays.stream(expected).noneMatch(entry.getMessage()::contains))
                .toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    private void screenshot(String name) throws IOException {
        String target = System.getProperty("annals.screenshots");
        if (target == null || target.isBlank()) {
            return;
        }
        Path screenshots = Path.of(target);
        Files.createDirectories(screenshots);
        Files.write(screenshots.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }
}
