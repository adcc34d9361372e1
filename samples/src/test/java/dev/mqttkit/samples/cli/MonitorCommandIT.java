package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code monitor} from the command line: the address it prints serves the page; its errors are one sentence. */
@MosquittoTest
class MonitorCommandIT {

    private static final Pattern PAGE = Pattern.compile("Monitoring (\\S+) at (http://127\\.0\\.0\\.1:\\d+/) \\(open it "
            + "in a browser; Ctrl-C stops it\\)\\.");

    @Test
    void monitor_onABroker_servesThePageUntilTheConnectionIsLost(MosquittoBroker broker) throws Exception {
        Run monitor = Run.start("monitor", "--broker", broker.uri(), "--port", "0", "--client-id", "cli-monitor");
        monitor.awaitOut("Monitoring ");
        Matcher printed = PAGE.matcher(monitor.out());
        assertThat(printed.find()).as(monitor.out()).isTrue();
        assertThat(printed.group(1)).isEqualTo(broker.uri());
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(printed.group(2)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>mqttkit monitor</title>");

        // the client logs the lost connection (WARN); on purpose here, so it goes to the test, not the console
        Logger session = (Logger) LoggerFactory.getLogger("dev.mqttkit.internal.session.PahoSession");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        session.addAppender(captured);
        session.setAdditive(false);
        try (MyMqtt twin = MyMqtt.builder().serverUri(broker.uri()).clientId("cli-monitor").build()) {
            twin.start(); // the broker drops the monitor, which ends with exit code 1 and one sentence
            assertThat(monitor.exitCode()).isEqualTo(1);
        } finally {
            session.setAdditive(true);
            session.detachAppender(captured);
        }
        assertThat(List.copyOf(captured.list)).extracting(ILoggingEvent::getFormattedMessage)
                .contains("Client [cli-monitor]: Lost the connection to " + broker.uri()
                        + ": the broker closed the connection.");
        assertThat(monitor.err()).startsWith("Lost the connection to " + broker.uri())
                .contains("the same client id [cli-monitor]");
        assertThat(monitor.err().lines()).hasSize(1);
    }

    @Test
    void monitor_portInUse_saysSoAndExitsOne(MosquittoBroker broker) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run monitor = Run.complete("monitor", "--broker", broker.uri(), "--port", Integer.toString(port));
            assertThat(monitor.exitCode()).isEqualTo(1);
            assertThat(monitor.err()).isEqualTo("Cannot serve the monitor on 127.0.0.1:" + port + ": the port is in use "
                    + "(is a monitor running already?); pick another with --port." + System.lineSeparator());
            assertThat(monitor.out()).isEmpty();
        }
    }

    @Test
    void monitor_maxTopicsZero_saysWhatIsWrongAndExitsTwo(MosquittoBroker broker) {
        Run monitor = Run.complete("monitor", "--broker", broker.uri(), "--port", "0", "--max-topics", "0");
        assertThat(monitor.exitCode()).isEqualTo(2);
        assertThat(monitor.err()).isEqualTo("--max-topics [0] must be at least 1." + System.lineSeparator());
    }
}
