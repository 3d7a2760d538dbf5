package dev.sealpost.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A large attachment (256 MiB; {@code -Dviewer.largeAttachmentMiB=1024} for the documented 1 GiB
 * run) decrypts in bounded memory through the page's own flow, written chunk by chunk to disk:
 *
 * <ul>
 *   <li>File System Access: headless Chromium cannot click the save dialog, so the test answers
 *       {@code showSaveFilePicker} with a file handle of the origin-private file system, which
 *       offers the same {@code createWritable()} / {@code FileSystemWritableFileStream} the
 *       picker's handle does;
 *   <li>the service-worker download (the page without {@code showSaveFilePicker}): the file lands
 *       in Chromium's download folder;
 *   <li>the Blob fallback, measured for contrast only ({@code -Dviewer.browserPerf=true}).
 * </ul>
 *
 * <p>Memory is read three ways: {@code performance.memory} (precise with
 * --enable-precise-memory-info) sampled in the page, CDP {@code Performance.getMetrics}
 * JSHeapUsedSize polled during the run, and the resident memory of every Chromium process (where
 * ArrayBuffers and Blob data live). A digest that does not match leaves no file, on both paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerLargeAttachmentIT {

  private static final long MIB = 1024 * 1024;
  private static final String NAME = "Jahresübersicht 2026.bin";

  /**
   * The JavaScript heap must stay far below the file, whatever its size. performance.memory counts
   * ArrayBuffers not yet collected, so it saws up to ~60-90 MiB between garbage collections.
   */
  private static final long HEAP_BOUND = 128 * MIB;

  /** All Chromium processes together may grow by at most this much while the file streams. */
  private static final long RSS_GROWTH_BOUND = 256 * MIB;

  private final long size = Long.getLong("viewer.largeAttachmentMiB", 256) * MIB;
  private FakeOpenApi api;
  private Chromium chrome;
  private Path work;
  private SdkEnvelopes.Large large;
  private String axeSource;

  @BeforeAll
  void start() throws Exception {
    Path testRoot = Path.of(System.getProperty("viewer.testRoot", "target/viewer-test"));
    api = new FakeOpenApi(testRoot);
    chrome = new Chromium();
    chrome.driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(30));
    chrome.driver.executeCdpCommand("Performance.enable", Map.of());
    axeSource = Files.readString(testRoot.resolve("axe.min.js"));
    work = Files.createTempDirectory("sealpost-large-attachment");
    large = SdkEnvelopes.sealLarge(NAME, size, work.resolve("attachment.spa1"));
  }

  @AfterAll
  void stop() {
    if (chrome != null) {
      chrome.close();
      Chromium.deleteTree(chrome.downloads);
    }
    if (api != null) {
      api.close();
    }
    if (work != null) {
      Chromium.deleteTree(work);
    }
  }

  @BeforeEach
  void emptyDownloads() throws Exception {
    try (var files = Files.list(chrome.downloads)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
  }

  // ------------------------------------------------------------------ bounded memory, per path

  @Test
  void fileSystemAccess_writesLargeAttachmentToTheFile_inBoundedMemory() throws Exception {
    openMessage(large.sealed());
    answerFileDialogWithOpfs();
    Run run = download(large.sealed());
    assertThat(run.state()).isEqualTo("Saved as " + NAME + " and checked.");
    report("file-system-access", run);
    Map<String, Object> file = opfsFile(NAME);
    assertThat(file).containsEntry("ok", true).containsEntry("exists", true);
    assertThat(((Number) file.get("size")).longValue()).isEqualTo(size);
    assertThat(file.get("sha256")).isEqualTo(TestSealer.B64U.encodeToString(large.sha256()));
    removeOpfs(NAME);
    assertBounded(run);
  }

  @Test
  void serviceWorker_streamsLargeAttachmentToDownloads_inBoundedMemory() throws Exception {
    openMessage(large.sealed());
    chrome.driver.executeScript("window.showSaveFilePicker = undefined;");
    Run run = download(large.sealed());
    assertThat(run.state()).isEqualTo("Checked: " + NAME + " is in your browser's downloads.");
    Path file = awaitDownload(NAME);
    assertThat(Files.size(file)).isEqualTo(size);
    assertThat(sha256(file)).isEqualTo(large.sha256());
    assertThat(chrome.driver.getCurrentUrl()).as("the page stays").contains("/v/");
    report("service-worker", run);
    assertBounded(run);
  }

  /** The old path, for the figures in docs/PERFORMANCE.md: memory grows with the file. */
  @Test
  @EnabledIfSystemProperty(named = "viewer.browserPerf", matches = "true")
  void blobFallback_forContrast() throws Exception {
    openMessage(large.sealed());
    chrome.driver.executeScript(
        "window.showSaveFilePicker = undefined;"
            + "Object.defineProperty(navigator, 'serviceWorker', {value: undefined});");
    Run run = download(large.sealed());
    assertThat(run.state()).isEqualTo("Decrypted and checked.");
    report("blob (fallback)", run);
  }

  private void assertBounded(Run run) {
    assertThat(run.heapPeak()).as("performance.memory peak").isLessThan(HEAP_BOUND);
    assertThat(run.cdpHeapPeak()).as("CDP JSHeapUsedSize peak").isLessThan(HEAP_BOUND);
    assertThat(run.rssGrowth()).as("growth of all Chromium processes").isLessThan(RSS_GROWTH_BOUND);
  }

  // ------------------------------------------------------------------ a digest that does not match

  /** Every chunk authenticates; only the whole file's SHA-256 differs from the signed manifest. */
  private TestSealer.Sealed wrongDigest() {
    return TestSealer.forTenant("acme")
        .wrongSha256()
        .attach(NAME, "application/octet-stream", TestSealer.random(17 * 1024 * 1024 + 5))
        .seal();
  }

  @Test
  void fileSystemAccess_digestMismatch_abortsTheWritable_andLeavesNoFile() throws Exception {
    TestSealer.Sealed s = wrongDigest();
    openMessage(s);
    answerFileDialogWithOpfs();
    Run run = download(s);
    assertThat(run.state())
        .isEqualTo(
            "This file was changed or damaged, so we stopped and deleted what had been written."
                + " Nothing was saved.");
    assertThat(opfsFile(NAME)).containsEntry("ok", true).containsEntry("exists", false);
    assertThat(byId("screen-message").isDisplayed()).isTrue();
    chrome.screenshot("18-large-file-mismatch");
    assertAccessible("digest mismatch, file");
  }

  @Test
  void serviceWorker_digestMismatch_failsTheDownload_andLeavesNoFile() throws Exception {
    TestSealer.Sealed s = wrongDigest();
    openMessage(s);
    chrome.driver.executeScript("window.showSaveFilePicker = undefined;");
    Run run = download(s);
    assertThat(run.state())
        .isEqualTo(
            "This file was changed or damaged, so we stopped the download: your browser shows it"
                + " as failed. Do not use any partial file.");
    // The browser removes a failed download's partial file; give it time to (not) appear.
    for (int i = 0; i < 20; i++) {
      try (var files = Files.list(chrome.downloads)) {
        assertThat(files.toList()).as("download folder").isEmpty();
      }
      Thread.sleep(100);
    }
    assertThat(byId("screen-message").isDisplayed()).as("the page stays").isTrue();
    assertAccessible("digest mismatch, download");
  }

  @Test
  void fileDialogCancelled_leavesTheButton_andFetchesNothing() {
    TestSealer.Sealed s = wrongDigest();
    openMessage(s);
    // Headless Chromium's real save dialog answers at once as if the person had cancelled it.
    WebElement row = row(s);
    row.findElement(By.className("att-download")).click();
    new WebDriverWait(chrome.driver, Duration.ofSeconds(10))
        .until(d -> row.findElement(By.className("att-download")).isEnabled());
    assertThat(row.findElement(By.className("att-state")).isDisplayed()).isFalse();
    assertThat(api.apiRequests()).noneMatch(r -> r.contains("/attachments/"));
  }

  // ------------------------------------------------------------------ helpers

  /** What one download did: the row's final text, the time, and the memory figures. */
  record Run(
      String state,
      long millis,
      double cpuSeconds,
      long heapPeak,
      long cdpHeapPeak,
      long rssGrowth,
      long renderer) {}

  private Run download(TestSealer.Sealed s) throws Exception {
    chrome.driver.executeScript(
        "window.heapPeak = performance.memory.usedJSHeapSize;"
            + "window.heapTimer = setInterval(() => { window.heapPeak = Math.max(window.heapPeak,"
            + " performance.memory.usedJSHeapSize); }, 20);");
    WebElement row = row(s);
    long cdpPeak = 0;
    long t0 = System.nanoTime();
    WebElement state;
    try (MemorySampler memory = new MemorySampler(chrome)) {
      row.findElement(By.className("att-download")).click();
      long deadline = System.nanoTime() + Duration.ofMinutes(40).toNanos();
      for (; ; ) {
        cdpPeak = Math.max(cdpPeak, cdpHeapUsed());
        state = row.findElement(By.className("att-state"));
        String cls = state.getDomAttribute("class");
        if (cls.contains(" ok") || cls.contains(" error")) {
          break;
        }
        assertThat(System.nanoTime()).as("download finished in time").isLessThan(deadline);
        Thread.sleep(200);
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      cdpPeak = Math.max(cdpPeak, cdpHeapUsed());
      long heapPeak =
          ((Number)
                  chrome.driver.executeScript(
                      "clearInterval(window.heapTimer);"
                          + " return Math.max(window.heapPeak, performance.memory.usedJSHeapSize);"))
              .longValue();
      Thread.sleep(100);
      return new Run(
          state.getText(),
          millis,
          memory.cpuSeconds(),
          heapPeak,
          cdpPeak,
          memory.peakGrowth(),
          memory.peakRenderer());
    }
  }

  @SuppressWarnings("unchecked")
  private long cdpHeapUsed() {
    Map<String, Object> r = chrome.driver.executeCdpCommand("Performance.getMetrics", Map.of());
    for (Map<String, Object> m : (List<Map<String, Object>>) r.get("metrics")) {
      if ("JSHeapUsedSize".equals(m.get("name"))) {
        return ((Number) m.get("value")).longValue();
      }
    }
    throw new AssertionError("no JSHeapUsedSize in " + r);
  }

  private void report(String path, Run run) {
    System.out.printf(
        Locale.ROOT,
        "BROWSER-PERF path=%s size=%d MiB time=%.1f s (%.0f MiB/s) chromiumCpu=%.1f s"
            + " jsHeapPeak=%.1f MiB"
            + " cdpJsHeapPeak=%.1f MiB rssGrowthAllProcesses=%.0f MiB rendererRssPeak=%.0f MiB%n",
        path,
        size / MIB,
        run.millis() / 1000.0,
        size / (double) MIB / (run.millis() / 1000.0),
        run.cpuSeconds(),
        run.heapPeak() / (double) MIB,
        run.cdpHeapPeak() / (double) MIB,
        run.rssGrowth() / (double) MIB,
        run.renderer() / (double) MIB);
  }

  private void openMessage(TestSealer.Sealed s) {
    api.serve(s);
    if (s == large.sealed()) {
      api.attachmentFile(s.attachments().get(0).id(), large.ciphertext());
    }
    // The same link again would be a fragment navigation of the open page: load a fresh one.
    chrome.driver.get("about:blank");
    chrome.driver.get(api.baseUrl() + s.link());
    waitVisible("start-continue").click();
    waitVisible("screen-code");
    byId("code-input").sendKeys("123456");
    byId("code-submit").click();
    waitVisible("screen-message");
  }

  /** The page's save dialog answers with a file of the origin-private file system. */
  private void answerFileDialogWithOpfs() {
    chrome.driver.executeScript(
        "window.showSaveFilePicker = async (o) =>"
            + " (await navigator.storage.getDirectory()).getFileHandle(o.suggestedName,"
            + " {create: true});");
  }

  private void removeOpfs(String name) {
    chrome.driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "navigator.storage.getDirectory().then(d => d.removeEntry(arguments[0]))"
            + ".then(() => done(true), () => done(false));",
        name);
  }

  /**
   * Size and SHA-256 of an origin-private file, hashed in the page by the test harness; polled, as
   * hashing 1 GiB on a busy machine outlasts WebDriver's HTTP read timeout.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> opfsFile(String name) throws InterruptedException {
    chrome.driver.executeScript(
        "window.opfsResult = null; import('/test/harness.js')"
            + ".then(() => window.sealpostHarness.opfsFile(arguments[0]))"
            + ".then(r => { window.opfsResult = r; }, e => { window.opfsResult = {ok: false,"
            + " error: String(e)}; });",
        name);
    for (int i = 0; i < 3600; i++) {
      Object r = chrome.driver.executeScript("return window.opfsResult;");
      if (r != null) {
        return (Map<String, Object>) r;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the page did not hash " + name + " in 30 minutes");
  }

  private Path awaitDownload(String name) throws InterruptedException {
    Path file = chrome.downloads.resolve(name);
    for (int i = 0; i < 600; i++) {
      if (Files.isRegularFile(file)
          && !Files.exists(chrome.downloads.resolve(name + ".crdownload"))) {
        return file;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no download of " + name + " in " + chrome.downloads);
  }

  private static byte[] sha256(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return d.digest();
  }

  private WebElement row(TestSealer.Sealed s) {
    return chrome.driver.findElement(
        By.cssSelector("li[data-attachment-id='" + s.attachments().get(0).id() + "']"));
  }

  private WebElement waitVisible(String id) {
    // generous: the machine may be busy (and Chromium still freeing the last run's file)
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(60))
        .until(
            d -> {
              WebElement e = d.findElement(By.id(id));
              return e.isDisplayed() ? e : null;
            });
  }

  private WebElement byId(String id) {
    return chrome.driver.findElement(By.id(id));
  }

  /** axe-core on the current page: no serious or critical violation. */
  private void assertAccessible(String screen) {
    assertThat(chrome.seriousAxeViolations(axeSource)).as("axe on " + screen).isEmpty();
  }
}
