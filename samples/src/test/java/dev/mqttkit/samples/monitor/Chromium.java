package dev.mqttkit.samples.monitor;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Headless Chromium driven through its DevTools protocol, over the JDK's WebSocket: no driver, no new
 * dependency. One page; its JavaScript dialogs are recorded (a payload that runs {@code alert} would show up).
 * Chromium's own output goes to a file in its profile folder, never to the build's console.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    static final int WIDTH = 1280;
    static final int HEIGHT = 860;

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Debian's chromium, if installed; {@code MQTTKIT_CHROMIUM} names another binary. */
    static Optional<Path> executable() {
        String configured = System.getenv("MQTTKIT_CHROMIUM");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            candidates.add(Path.of(directory, "chromium"));
            candidates.add(Path.of(directory, "chromium-browser"));
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Why the browser tests are skipped, printed on the console too. */
    static String missing() {
        String reason = "Chromium is not installed (apt-get install chromium, as .ci/run does): the monitor's browser "
                + "tests are skipped.";
        System.out.println("[monitor] " + reason);
        return reason;
    }

    static Chromium launch() throws IOException, InterruptedException {
        Path binary = executable().orElseThrow(() -> new IllegalStateException(missing()));
        Path profile = Files.createTempDirectory("mqttkit-chromium-");
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + WIDTH + "," + HEIGHT, "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive()
                    || Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium ended at start: " + Files.readString(profile.resolve("chromium.log")));
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
            String pageSocket = null;
            for (JsonNode target : JSON.readTree(list)) {
                if (target.path("type").asText().equals("page")) {
                    pageSocket = target.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (pageSocket == null) {
                throw new IllegalStateException("Chromium has no page: " + list);
            }
            Receiver receiver = new Receiver();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(CALL_TIMEOUT)
                    .buildAsync(URI.create(pageSocket), receiver).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Chromium chromium = new Chromium(process, profile, socket);
            receiver.chromium = chromium;
            chromium.call("Page.enable", Map.of());
            chromium.call("Runtime.enable", Map.of());
            chromium.call("Emulation.setDeviceMetricsOverride",
                    Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
            return chromium;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(process, profile);
            throw e;
        } catch (Exception e) {
            stop(process, profile);
            throw new IllegalStateException("Cannot drive Chromium: " + e, e);
        }
    }

    /** Reassembles the protocol's messages, which may come in parts. */
    private static final class Receiver implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile Chromium chromium;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                chromium.receive(message);
            }
            webSocket.request(1);
            return null;
        }
    }

    private void receive(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            if (node.has("id")) {
                CompletableFuture<JsonNode> call = calls.remove(node.get("id").asInt());
                if (call != null) {
                    call.complete(node);
                }
            } else {
                events.add(node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls a DevTools method and returns its result. */
    JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(JSON.writeValueAsString(request), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode response = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IllegalStateException(method + " failed: " + response.get("error"));
            }
            return response.get("result");
        } catch (Exception e) {
            calls.remove(id);
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(method + " failed: " + e, e);
        }
    }

    /** Opens a page and waits until it has loaded. */
    void navigate(URI url) {
        call("Page.navigate", Map.of("url", url.toString()));
        await().atMost(Duration.ofSeconds(15)).until(() -> "complete".equals(evaluate("document.readyState").asText())
                && evaluate("location.href").asText().equals(url.toString()));
    }

    /** Evaluates JavaScript in the page (promises awaited) and returns its value. */
    JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("The page threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A JavaScript string literal for a value, to put data into an expression safely. */
    static String literal(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page as a PNG, down to the bottom of its content (no empty window below it). */
    byte[] screenshot() {
        int height = Math.min(HEIGHT, evaluate("Math.ceil(Math.max(...[...document.body.children].map(e => "
                + "e.getBoundingClientRect().bottom))) + 16").asInt());
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", WIDTH, "height", height, "scale", 1);
        return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png", "clip", clip))
                .get("data").asText());
    }

    /** The JavaScript dialogs (alert, confirm, prompt) the page opened, as DevTools reported them. */
    List<JsonNode> dialogs() {
        return events.stream().filter(event -> event.path("method").asText().equals("Page.javascriptDialogOpening"))
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        socket.abort();
        stop(process, profile);
    }

    private static void stop(Process process, Path profile) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("[monitor] could not delete " + profile + ": " + e.getMessage());
        }
    }
}
