package dev.mqttkit.samples.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.Qos;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's HTTP endpoints on 127.0.0.1, with a fake MQTT side: what they answer, and what they refuse. */
class MonitorServerTest {

    /** What the form asked to publish. */
    record Published(String topic, String payload, Qos qos, boolean retain) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final BrokerLink link = new BrokerLink() {
        @Override
        public String serverUri() {
            return "tcp://127.0.0.1:1";
        }

        @Override
        public String clientId() {
            return "monitor-test";
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain) {
            published.add(new Published(topic, new String(payload, StandardCharsets.UTF_8), qos, retain));
            return CompletableFuture.completedFuture(null);
        }
    };
    private final HttpClient http = HttpClient.newHttpClient();
    private TopicStore store;
    private MonitorServer server;

    @BeforeEach
    void start() {
        store = new TopicStore();
        server = MonitorServer.start(new InetSocketAddress("127.0.0.1", 0), store, link);
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private HttpResponse<String> post(String body, String type, String origin) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve("/api/publish"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", type);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void page_get_isServedWithAPolicyThatAllowsOnlyItsOwnScript() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'none'; script-src 'self';");
        assertThat(page.body()).contains("<title>mqttkit monitor</title>", "<script src=\"monitor.js\" defer></script>");
        assertThat(get("/monitor.js").body()).doesNotContain("innerHTML =", "innerHTML=", "outerHTML", "insertAdjacentHTML",
                "document.write", "eval(");
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void publish_validForm_publishesExactlyWhatItSays() throws Exception {
        HttpResponse<String> reply = post("{\"topic\":\"led\",\"payload\":\"{\\\"status\\\": \\\"on\\\"}\",\"qos\":1,"
                + "\"retain\":true}", "application/json", server.url().toString().replaceAll("/$", ""));
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"ok\":\"Published to [led] at QoS 1, retained.\"}");
        assertThat(published).containsExactly(new Published("led", "{\"status\": \"on\"}", Qos.AT_LEAST_ONCE, true));
    }

    @Test
    void publish_wildcardTopic_isRefusedWithTheSdksMessage() throws Exception {
        HttpResponse<String> reply = post("{\"topic\":\"robotcell1/+/temperature\",\"payload\":\"21\",\"qos\":2}",
                "application/json", null);
        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.body()).isEqualTo("{\"error\":\"Topic [robotcell1/+/temperature] must not contain the wildcard "
                + "'+', found at index 11; wildcards are only allowed in topic filters.\"}");
        assertThat(published).isEmpty();
    }

    @Test
    void publish_emptyTopicOrBadQos_isRefused() throws Exception {
        assertThat(post("{\"topic\":\"\",\"payload\":\"x\",\"qos\":0}", "application/json", null).body())
                .isEqualTo("{\"error\":\"Topic [] must not be empty.\"}");
        assertThat(post("{\"topic\":\"led\",\"payload\":\"x\",\"qos\":3}", "application/json", null).body())
                .isEqualTo("{\"error\":\"QoS [3] must be 0, 1 or 2.\"}");
        assertThat(published).isEmpty();
    }

    @Test
    void publish_fromAnotherSiteOrAsAPlainForm_isRefused() throws Exception {
        String form = "{\"topic\":\"led\",\"payload\":\"on\",\"qos\":0}";
        HttpResponse<String> foreign = post(form, "application/json", "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> plain = post(form, "text/plain", null);
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(published).isEmpty();
    }

    @Test
    void anyRequest_withAForeignHostHeader_isRefused() throws Exception {
        // what a DNS-rebinding page would send: our address, another name
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.url().getPort())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403 ")
                    .endsWith("This monitor answers to 127.0.0.1 and localhost only.\n");
        }
    }

    @Test
    void filter_invalid_answersTheSdksMessage() throws Exception {
        HttpResponse<String> bad = get("/api/filter?filter=a%2F%23%2Fb");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"error\":\"Topic filter [a/#/b] must have '#' only as the last level, found at "
                + "index 2.\"}");
        HttpResponse<String> good = get("/api/filter?filter=%2B%2Fstatus");
        assertThat(good.body()).isEqualTo("{\"filter\":\"+/status\"}");
        assertThat(get("/events?filter=a%2F%23%2Fb").statusCode()).isEqualTo(400);
    }

    @Test
    void events_firstBatch_isAResetWithEveryTopicAsJson() throws Exception {
        store.record("led/status", "<b>on</b>".getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, true);
        HttpResponse<java.util.stream.Stream<String>> events = http.send(HttpRequest.newBuilder(
                server.url().resolve("/events")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(events.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        try (java.util.stream.Stream<String> lines = events.body()) {
            String data = lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
            // version 2: the message, then the first look at the rates
            assertThat(data).startsWith("data: {\"reset\":true,\"version\":2,")
                    .contains("\"stats\":{\"topics\":1,\"maxTopics\":2000,\"dropped\":0,\"messages\":1,\"broker\":"
                            + "\"tcp://127.0.0.1:1\",\"clientId\":\"monitor-test\",\"connected\":true,\"filter\":\"\"}")
                    .contains("\"topic\":\"led/status\",\"count\":1,\"rate\":1.0,\"qos\":2,\"retained\":true,")
                    .contains("\"size\":9,\"kind\":\"text\",\"display\":\"<b>on</b>\",\"truncated\":false,\"history\":[]}")
                    .endsWith("\"rates\":{},\"removed\":[]}");
        }
    }

    @Test
    void exposureWarning_loopbackOrNot_warnsOnlyWhenOthersCanReachIt() {
        assertThat(MonitorServer.exposureWarning(new InetSocketAddress("127.0.0.1", 8080))).isEmpty();
        assertThat(MonitorServer.exposureWarning(new InetSocketAddress("0.0.0.0", 8080))).isEqualTo(Optional.of(
                "The monitor listens on 0.0.0.0:8080, not only on this machine: anyone who can reach it can read every "
                        + "message and publish to the broker as the monitor."));
    }

    @Test
    void start_unknownAddress_saysSoInOneSentence() {
        assertThatThrownBy(() -> MonitorServer.start(InetSocketAddress.createUnresolved("no-such-host.invalid", 0), store,
                link)).isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot serve the monitor on "
                + "[no-such-host.invalid]: no such address; bind it to an address of this machine, such as 127.0.0.1.");
    }

    @Test
    void url_loopback_isTheAddressToOpen() {
        assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.url().getPort() + "/"));
    }
}
