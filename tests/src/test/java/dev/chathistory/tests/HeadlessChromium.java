package dev.chathistory.tests;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A page rendered by a real browser: headless Chromium loads it, runs its scripts and hands back
 * the DOM or a screenshot. Virtual time lets a page finish its fetches and rendering without a
 * fixed sleep; the process is bounded all the same. A fresh profile, and no background
 * networking, because Chromium otherwise calls Google's services at start. Chromium is
 * required: without it a test fails and says how to install it, rather than passing unseen.
 */
final class HeadlessChromium {

    private static final long BROWSER_SECONDS = 60;
    private static final String INSTALL_HINT = "install it (Debian/Ubuntu: apt-get install -y "
            + "--no-install-recommends chromium; .ci/run does this) or set CHROMIUM to a Chromium or Chrome binary";

    private HeadlessChromium() {
    }

    /** The DOM of {@code page} after its scripts ran. */
    static String renderedDom(URI page) throws IOException, InterruptedException {
        Path out = Files.createTempFile("chromium-dom", ".html");
        try {
            run(page, out, "--dump-dom");
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            if (dom.isBlank()) {
                throw new AssertionError("Chromium rendered no DOM for " + page);
            }
            return dom;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Saves a PNG of {@code page} after its scripts ran, at the given window size. */
    static void screenshot(URI page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(page, null, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("Chromium saved no screenshot of " + page + " at " + png);
        }
    }

    private static void run(URI page, Path stdout, String... action) throws IOException, InterruptedException {
        Path chromium = chromium();
        Path profile = Files.createTempDirectory("chromium-profile");
        Path err = Files.createTempFile("chromium", ".log");
        Path discarded = stdout == null ? Files.createTempFile("chromium", ".out") : stdout;
        try {
            List<String> command = new ArrayList<>(List.of(chromium.toString(),
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=15000"));
            command.addAll(List.of(action));
            command.add(page.toString());
            Process process = new ProcessBuilder(command)
                    .redirectOutput(discarded.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("Chromium did not finish with " + page + " within " + BROWSER_SECONDS
                        + " s; its log:\n" + tail(err));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("Chromium (" + String.join(" ", command) + ") exited with "
                        + process.exitValue() + "; its log:\n" + tail(err));
            }
        } finally {
            Files.deleteIfExists(err);
            if (stdout == null) {
                Files.deleteIfExists(discarded);
            }
            deleteTree(profile);
        }
    }

    private static Path chromium() {
        String configured = System.getenv("CHROMIUM");
        Path binary = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("this test renders a page in headless Chromium, and there is no Chromium at "
                    + binary + (configured == null ? " (the default; CHROMIUM is not set)" : " (from CHROMIUM)")
                    + ": " + INSTALL_HINT);
        }
        return binary;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Best effort: a profile Chromium still writes to as it exits is only a left-over temp folder. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("HeadlessChromium: could not delete " + root + ": " + e);
        }
    }
}
