package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringbuf.samples.testing.DevTools;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard as a person sees it: Debian's headless Chromium loads the page from a real feed server and, within
 * a few seconds, the page shows a non-zero event rate. Skipped (JUnit assumption) where {@code /usr/bin/chromium}
 * is not installed. Set {@code -Dringbuf.dashboard.screenshot=/path/to.png} to keep a screenshot.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DashboardInChromiumTest {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Pattern DEVTOOLS_LISTENING = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
    private static final Duration STEP = Duration.ofSeconds(30);

    /** Resolves (in the page) with the event rate once the page shows a non-zero one. */
    private static final String NON_ZERO_EVENT_RATE = String.join("",
            "new Promise(resolve => {",
            "  const el = document.getElementById('event-rate');",
            "  const check = () => { if (Number(el.dataset.value) > 0) { resolve(el.textContent); return true; } return false; };",
            "  if (!check()) { new MutationObserver(check).observe(el, {attributes: true, childList: true, subtree: true}); }",
            "})");

    @Test
    void dashboardShowsANonZeroEventRateWithinSeconds() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed at " + CHROMIUM);
        final Path profile = Files.createTempDirectory("ringbuf-chromium-");
        final FeedServer server = FeedServer.start(
                FeedOptions.defaults("127.0.0.1", 0).withRate(2_000)
                        .withIntervals(Duration.ofSeconds(15), Duration.ofMillis(250), Duration.ZERO),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Process chromium = null;
        try {
            chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                    "--remote-debugging-port=0", "--window-size=1280,1000", "about:blank")
                    .redirectErrorStream(true)
                    .start();
            final int devToolsPort = devToolsPort(chromium).get(STEP.toSeconds(), TimeUnit.SECONDS);

            try (DevTools page = DevTools.connectToPage(devToolsPort, STEP)) {
                page.call("Page.enable", "{}", STEP);
                final CompletableFuture<Map<String, Object>> loaded = page.nextEvent("Page.loadEventFired");
                page.call("Page.navigate", "{\"url\":\"http://127.0.0.1:" + server.port() + "/\"}", STEP);
                loaded.get(STEP.toSeconds(), TimeUnit.SECONDS);

                final Map<String, Object> result = page.call("Runtime.evaluate", "{\"expression\":"
                        + jsonString(NON_ZERO_EVENT_RATE) + ",\"awaitPromise\":true,\"returnByValue\":true}",
                        Duration.ofSeconds(20));
                @SuppressWarnings("unchecked")
                final Object shown = ((Map<String, Object>) result.get("result")).get("value");
                assertThat(shown).as("the event rate the page shows").isInstanceOf(String.class);
                assertThat(Double.parseDouble(((String) shown).replace(",", ""))).isPositive();

                final String screenshot = System.getProperty("ringbuf.dashboard.screenshot");
                if (screenshot != null) {
                    final Map<String, Object> image = page.call("Page.captureScreenshot", "{\"format\":\"png\"}", STEP);
                    Files.write(Paths.get(screenshot), Base64.getDecoder().decode((String) image.get("data")));
                }
            }
        } finally {
            if (chromium != null) {
                chromium.destroy();
                if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                    chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            server.close();
            deleteRecursively(profile);
        }
    }

    /** Reads Chromium's output on a thread of its own; completes with the DevTools port it announces. */
    private static CompletableFuture<Integer> devToolsPort(Process chromium) {
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(chromium.getInputStream(), StandardCharsets.UTF_8))) {
                final StringBuilder seen = new StringBuilder();
                for (String line; (line = lines.readLine()) != null; ) {
                    final Matcher m = DEVTOOLS_LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    } else if (!port.isDone() && seen.length() < 10_000) {
                        seen.append(line).append('\n');
                    }
                }
                port.completeExceptionally(new IllegalStateException("chromium exited without DevTools:\n" + seen));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        return port;
    }

    private static String jsonString(String text) {
        final StringBuilder json = new StringBuilder();
        dev.ringbuf.samples.event.EventCodec.appendJsonString(json, text);
        return json.toString();
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            final List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the Chromium profile " + root, e);
        }
    }
}
