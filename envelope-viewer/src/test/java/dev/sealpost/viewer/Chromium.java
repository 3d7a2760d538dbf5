package dev.sealpost.viewer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium and chromedriver, started so that nothing is downloaded (no Selenium
 * Manager: both binaries are given) and nothing reaches the internet (STACK-NOTES.md flags).
 *
 * <p>Shared with the api's browser tests through this module's test-jar:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.sealpost</groupId>
 *   <artifactId>sealpost-envelope-viewer</artifactId>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 *
 * try (Chromium chrome = new Chromium()) {
 *   chrome.driver.get(baseUrl + link);      // a fresh profile, downloads land in chrome.downloads
 *   chrome.screenshot("viewer-start");      // target/screenshots/viewer-start.png
 * }
 * }</pre>
 */
public final class Chromium implements AutoCloseable {

  public static final String BINARY = "/usr/bin/chromium";
  public static final String DRIVER = "/usr/bin/chromedriver";

  public final ChromeDriver driver;
  public final Path downloads;
  private final Path profile;

  /**
   * Runs axe-core ({@code axeSource}, the script's text) on the current page and answers its
   * serious and critical violations, one line each (rule id and the nodes it names).
   */
  @SuppressWarnings("unchecked")
  public List<String> seriousAxeViolations(String axeSource) {
    driver.executeScript(axeSource);
    return (List<String>)
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))),"
                + " e => done(['axe failed: ' + e]));");
  }

  public Chromium() throws IOException {
    System.setProperty(
        "webdriver.chrome.driver", System.getProperty("webdriver.chrome.driver", DRIVER));
    profile = Files.createTempDirectory("sealpost-chromium-profile");
    downloads = Files.createTempDirectory("sealpost-chromium-downloads");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        // performance.memory in exact bytes, not rounded buckets (the large-attachment memory test)
        "--enable-precise-memory-info",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        "--lang=en-US",
        "--window-size=1200,1000",
        "--user-data-dir=" + profile);
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    prefs.put("download.directory_upgrade", true);
    prefs.put("safebrowsing.enabled", false);
    prefs.put("intl.accept_languages", "en-US,en");
    options.setExperimentalOption("prefs", prefs);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(System.getProperty("webdriver.chrome.driver")))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString(), "eventsEnabled", true));
  }

  /**
   * The browser process of this instance and all its children (renderers, GPU, network and storage
   * services), for memory figures: found by this instance's own profile folder.
   */
  public List<ProcessHandle> processes() {
    String flag = "--user-data-dir=" + profile;
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              String cmd = p.info().commandLine().orElse("");
              return cmd.contains(flag) && !cmd.contains("--type=");
            })
        .flatMap(
            p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
        .toList();
  }

  /** Browser console messages since the last call (CSP violations show up here). */
  public List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage)
        .toList();
  }

  /** Saves a PNG of the current window under the screenshots folder. */
  public Path screenshot(String name) {
    try {
      Path dir = Path.of(System.getProperty("viewer.screenshots", "target/screenshots"));
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    deleteTree(profile);
  }

  static void deleteTree(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException ignored) {
      // best effort: temp files
    }
  }
}
