package org.rhythmsearch.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser (issue 13, point 4): Debian's headless Chromium through chromedriver,
 * against a server on a free loopback port with a small generated index. Upload a file and see the
 * expected track first; play a match until the {@code <audio>} element can play; open the plot; export
 * the M3U; query again by picking an indexed track with the keyboard. Saves a screenshot in
 * {@code target/web-page.png}.
 *
 * <p>Skipped when chromium or chromedriver is missing, unless {@code RHYTHMSEARCH_REQUIRE_BROWSER=1}
 * (set by {@code .ci/run}, which installs both), where their absence fails the test.
 */
class WebPageBrowserTest {

  static final Path CHROMIUM = Path.of(System.getProperty("rhythmsearch.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("rhythmsearch.chromedriver", "/usr/bin/chromedriver"));

  /** Selenium's warning that it has no DevTools protocol for this Chromium version: not used here. */
  static final java.util.logging.Logger SELENIUM = java.util.logging.Logger.getLogger("org.openqa.selenium");

  @TempDir Path tmp;
  RhythmServer server;
  ChromeDriver browser;
  WebDriverWait wait;
  List<Path> songs;

  @BeforeEach
  void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "1".equals(System.getenv("RHYTHMSEARCH_REQUIRE_BROWSER"))) {
      throw new AssertionError("RHYTHMSEARCH_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER
          + " is missing (apt-get install chromium chromium-driver)");
    }
    Assumptions.assumeTrue(present, "no " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install chromium "
        + "chromium-driver");
    SELENIUM.setLevel(java.util.logging.Level.SEVERE);
    songs = new ArrayList<>(TestServer.collection(tmp, 24));
    TestServer.index(tmp.resolve("index.db"), songs);
    server = RhythmServer.start(tmp.resolve("index.db").toString(), TestServer.settings(0), line -> {});
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1200,1400", "--autoplay-policy=no-user-gesture-required", "--mute-audio");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void uploadPlayPlotExportAndPickATrack() throws Exception {
    browser.get(server.url() + "/");
    wait.until(d -> d.findElement(By.id("index-summary")).getText().contains("5 tracks"));
    assertThat(browser.findElement(By.cssSelector("label[for=file]")).getText()).contains("Audio file");
    assertThat(browser.findElement(By.cssSelector("label[for=search]")).getText()).contains("Search");

    // upload a 141-BPM file: the 141-BPM song comes first
    Path query = TestServer.drums(tmp.resolve("query-141.wav"), 141, 15, 77);
    browser.findElement(By.id("file")).sendKeys(query.toString());
    wait.until(d -> !d.findElements(By.cssSelector("#results li .track-name")).isEmpty());
    List<WebElement> names = browser.findElements(By.cssSelector("#results > li .track-name"));
    assertThat(names).hasSize(5 - 0);
    assertThat(names.get(0).getText()).isEqualTo("song-141.wav");
    WebElement first = browser.findElements(By.cssSelector("#results > li")).get(0);
    assertThat(first.getText()).contains("141 BPM").contains("query at 0:").containsPattern("score 0\\.\\d{4}")
        .contains("closer than");

    // play the matched excerpt: the <audio> element reaches a playable state (HAVE_FUTURE_DATA or more)
    first.findElement(By.cssSelector(".play-match")).click();
    JavascriptExecutor js = browser;
    wait.until(d -> ((Number) js.executeScript(
        "const a = document.querySelector('#results > li audio.match-audio'); return a ? a.readyState : -1;"))
        .intValue() >= 3);
    assertThat(js.executeScript("return document.querySelector('#results > li audio.match-audio').error")).isNull();
    assertThat(((Number) js.executeScript("return document.querySelector('#results > li audio.match-audio').duration")).doubleValue())
        .isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.05));
    first.findElement(By.cssSelector(".play-query")).click();
    wait.until(d -> ((Number) js.executeScript(
        "const a = document.querySelector('#results > li audio.query-audio'); return a ? a.readyState : -1;"))
        .intValue() >= 3);

    // open the overlay plot of the pair: the image loads
    first.findElement(By.cssSelector(".show-plot")).click();
    wait.until(d -> (Boolean) js.executeScript(
        "const i = document.querySelector('#results > li img.plot'); return !!i && i.complete && i.naturalWidth > 0;"));
    assertThat(((Number) js.executeScript("return document.querySelector('#results > li img.plot').naturalWidth"))
        .intValue()).isEqualTo(720);
    assertThat(((Number) js.executeScript("return document.querySelector('#results > li img.plot').naturalHeight"))
        .intValue()).as("room for a small chart per band").isEqualTo(560);
    assertThat(first.findElement(By.cssSelector("img.plot")).getAttribute("alt")).contains("overlaid");

    // export M3U: the playlist lists the ranked tracks' paths, best first
    browser.findElement(By.id("export-m3u")).click();
    wait.until(d -> d.findElement(By.id("m3u-link")).isDisplayed());
    String m3u = (String) js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "fetch(document.getElementById('m3u-link').href).then(r => r.text()).then(done);");
    List<String> lines = m3u.lines().toList();
    assertThat(lines.get(0)).isEqualTo("#EXTM3U");
    assertThat(lines.stream().filter(l -> !l.startsWith("#")).toList()).hasSize(5).first()
        .isEqualTo(songs.get(3).toAbsolutePath().toString());
    Files.write(Path.of("target/web-page.png"), browser.getScreenshotAs(OutputType.BYTES));

    // keyboard only: search, Tab to the track, Enter queries with it
    WebElement search = browser.findElement(By.id("search"));
    search.sendKeys("song-96");
    wait.until(d -> d.findElements(By.cssSelector("#track-list button")).size() == 1);
    search.sendKeys(Keys.TAB);
    WebElement focused = browser.switchTo().activeElement();
    assertThat(focused.getText()).startsWith("song-96.wav");
    focused.sendKeys(Keys.ENTER);
    wait.until(d -> d.findElement(By.id("results-intro")).getText().contains("like song-96.wav"));
    assertThat(browser.findElements(By.cssSelector("#results > li"))).hasSize(4); // the query track is left out
    assertThat(browser.findElement(By.id("results-intro")).getText()).as("and the page says so")
        .containsPattern("The query is indexed track \\d+ \\(song-96.wav\\): left out.");
  }
}
