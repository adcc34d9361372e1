package dev.mqttkit.samples.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.topic.TopicFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's web server, on the JDK's {@link HttpServer}: the page ({@code /}, its script and style), its live
 * updates ({@code /events}, server-sent events), the filter check ({@code /api/filter}) and the publish form
 * ({@code /api/publish}).
 *
 * <p>It listens on 127.0.0.1 unless told otherwise. Because the page can publish, it also refuses what a page
 * from another site could send through the user's browser: a {@code Host} other than its own address (DNS
 * rebinding), and a publish with a foreign {@code Origin} or without a JSON content type (a plain cross-site form).
 */
final class MonitorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorServer.class);
    private static final String PAGE = "/dev/mqttkit/samples/monitor/page/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/monitor.js", "monitor.js", "/monitor.css", "monitor.css");
    private static final int MAX_STREAMS = 16;
    private static final int MAX_FORM_BYTES = 1024 * 1024;
    // the page's own script and style only: a payload that is HTML could not run a script even if shown as HTML
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final TopicStore store;
    private final BrokerLink link;
    private final PublishEndpoint publisher;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final boolean checkHost;
    private volatile boolean open = true;

    private MonitorServer(HttpServer server, ExecutorService threads, TopicStore store, BrokerLink link) {
        this.server = server;
        this.threads = threads;
        this.store = store;
        this.link = link;
        this.publisher = new PublishEndpoint(link);
        this.checkHost = server.getAddress().getAddress().isLoopbackAddress();
    }

    /**
     * Starts serving.
     *
     * @param address where to listen; port 0 for any free port
     * @throws IllegalStateException when the port is in use
     */
    static MonitorServer start(InetSocketAddress address, TopicStore store, BrokerLink link) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("Cannot serve the monitor on [" + address.getHostString() + "]: no such "
                    + "address; bind it to an address of this machine, such as 127.0.0.1.");
        }
        exposureWarning(address).ifPresent(LOG::warn);
        HttpServer server;
        try {
            server = HttpServer.create(address, 32);
        } catch (BindException e) {
            if (e.getMessage() != null && e.getMessage().contains("in use")) {
                throw new IllegalStateException("Cannot serve the monitor on " + hostPort(address) + ": the port is in "
                        + "use (is a monitor running already?); pick another with --port.", e);
            }
            throw new IllegalStateException("Cannot serve the monitor on " + hostPort(address) + ": " + e.getMessage()
                    + " (is it an address of this machine?).", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the monitor on " + hostPort(address), e);
        }
        AtomicInteger number = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "mqttkit-monitor-http-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        MonitorServer monitor = new MonitorServer(server, threads, store, link);
        server.createContext("/", monitor::handle);
        server.setExecutor(threads);
        server.start();
        return monitor;
    }

    /**
     * The warning for an address that is not loopback: anyone who reaches it can read every message and publish.
     *
     * @return the warning, or empty for a loopback address
     */
    static Optional<String> exposureWarning(InetSocketAddress address) {
        if (address.getAddress() != null && address.getAddress().isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of("The monitor listens on " + hostPort(address) + ", not only on this machine: anyone who "
                + "can reach it can read every message and publish to " + "the broker as the monitor.");
    }

    /** Where the page is, for example {@code http://127.0.0.1:8080/}. */
    URI url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (checkHost && !isOwnHost(exchange.getRequestHeaders().getFirst("Host"))) {
                sendText(exchange, 403, "This monitor answers to 127.0.0.1 and localhost only.");
            } else if (path.equals("/api/publish")) {
                publish(exchange);
            } else if (!exchange.getRequestMethod().equals("GET")) {
                sendText(exchange, 405, "Only GET here.");
            } else if (path.equals("/events")) {
                events(exchange);
            } else if (path.equals("/api/filter")) {
                checkFilter(exchange);
            } else if (FILES.containsKey(path)) {
                sendFile(exchange, FILES.get(path));
            } else {
                sendText(exchange, 404, "Not found.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server stops
        } catch (IOException pageWentAway) {
            LOG.debug("A page went away: {}", pageWentAway.getMessage());
        }
    }

    private boolean isOwnHost(String host) {
        if (host == null) {
            return false;
        }
        int port = server.getAddress().getPort();
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.equals("127.0.0.1:" + port) || lower.equals("localhost:" + port) || lower.equals("[::1]:" + port);
    }

    private void events(HttpExchange exchange) throws IOException, InterruptedException {
        TopicFilter filter;
        try {
            filter = filter(query(exchange, "filter"));
        } catch (InvalidTopicException e) {
            sendText(exchange, 400, e.getMessage());
            return;
        }
        if (!streams.tryAcquire()) {
            sendText(exchange, 503, "Too many pages are open on this monitor (" + MAX_STREAMS + "); close one.");
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            new EventStream(store, link, filter, exchange.getResponseBody(), () -> open && !store.isClosed(),
                    Clock.systemUTC()).run();
        } finally {
            streams.release();
        }
    }

    private void checkFilter(HttpExchange exchange) throws IOException {
        try {
            TopicFilter filter = filter(query(exchange, "filter"));
            sendJson(exchange, 200, "filter", filter == null ? "" : filter.toString());
        } catch (InvalidTopicException e) {
            sendJson(exchange, 400, "error", e.getMessage());
        }
    }

    /** An empty box shows everything, {@code $SYS} included; a filter follows MQTT's rules, the {@code $} one too. */
    private static TopicFilter filter(String text) {
        return text == null || text.isEmpty() ? null : TopicFilter.of(text);
    }

    private void publish(HttpExchange exchange) throws IOException, InterruptedException {
        if (!exchange.getRequestMethod().equals("POST")) {
            sendJson(exchange, 405, "error", "Publish with POST.");
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            sendJson(exchange, 403, "error", "Publishing is allowed from this monitor's own page only.");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            sendJson(exchange, 415, "error", "Send the form as application/json.");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) {
            sendJson(exchange, 413, "error", "The form is over 1 MiB; publish large payloads from a program.");
            return;
        }
        PublishEndpoint.Reply reply = publisher.publish(body);
        sendJson(exchange, reply.status(), reply.ok() ? "ok" : "error", reply.sentence());
    }

    private static String query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void sendFile(HttpExchange exchange, String name) throws IOException {
        byte[] content;
        try (InputStream in = MonitorServer.class.getResourceAsStream(PAGE + name)) {
            if (in == null) {
                throw new IllegalStateException("The monitor's page " + PAGE + name + " is missing from the jar.");
            }
            content = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        send(exchange, 200, type + "; charset=utf-8", content);
    }

    private static void sendJson(HttpExchange exchange, int status, String field, String value) throws IOException {
        ObjectNode body = JSON.createObjectNode().put(field, value);
        send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return (address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress()) + ":"
                + address.getPort();
    }

    /** Stops serving: open pages' streams end, and their threads with them. */
    @Override
    public void close() {
        open = false;
        server.stop(0);
        threads.shutdownNow();
    }
}
