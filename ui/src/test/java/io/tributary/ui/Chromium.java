package io.tributary.ui;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}, package {@code chromium}, which {@code
 * .ci/run} installs) loading a page: its DOM after the page's scripts ran, or a screenshot. Each
 * call is one browser process with a fresh profile, no network but loopback, killed after 90 s.
 */
final class Chromium {
  static final int WIDTH = 1280;
  static final int HEIGHT = 1500;

  private Chromium() {}

  static Path binary() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("Chromium is not installed: the page tests need Debian's headless Chromium "
        + "(apt-get install chromium; .ci/run installs it)");
  }

  /** The page's DOM once its scripts ran for up to {@code virtualMillis} of virtual time. */
  static String dumpDom(URI page, int virtualMillis, Path work) throws IOException, InterruptedException {
    Path out = work.resolve("dom.html");
    run(List.of("--dump-dom", page.toString()), virtualMillis, work, out);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** A PNG screenshot of the page's first {@link #WIDTH} x {@link #HEIGHT} CSS pixels (scale 1). */
  static Path screenshot(URI page, int virtualMillis, Path work) throws IOException, InterruptedException {
    Path png = work.resolve("screenshot.png");
    run(List.of("--screenshot=" + png, page.toString()), virtualMillis, work, work.resolve("screenshot.log"));
    if (!Files.isRegularFile(png)) {
      throw new AssertionError("Chromium wrote no screenshot; its output: " + Files.readString(work.resolve("screenshot.log")));
    }
    return png;
  }

  private static void run(List<String> what, int virtualMillis, Path work, Path stdout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1", "--mute-audio",
        "--user-data-dir=" + Files.createTempDirectory(work, "profile"),
        "--window-size=" + WIDTH + "," + HEIGHT, "--virtual-time-budget=" + virtualMillis));
    command.addAll(what);
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(work.resolve("chromium-stderr.log").toFile()).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish within 90 s: " + command);
    }
  }
}
