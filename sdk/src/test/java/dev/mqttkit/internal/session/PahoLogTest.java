package dev.mqttkit.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Paho's log messages through SLF4J: the logger Paho's factory hands out, levels, and Paho's message texts. */
class PahoLogTest {

    private static final String PAHO_CLASS = "org.eclipse.paho.client.mqttv3.internal.ClientState";
    private static final String CATALOG = org.eclipse.paho.client.mqttv3.logging.LoggerFactory.MQTT_CLIENT_MSG_CAT;

    private final Logger target = (Logger) LoggerFactory.getLogger(PAHO_CLASS);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = target.getLevel();
        target.setLevel(Level.INFO);
        target.setAdditive(false); // keep the test's WARN off the console
        events.start();
        target.addAppender(events);
    }

    @AfterEach
    void release() {
        target.detachAppender(events);
        target.setAdditive(true);
        target.setLevel(levelBefore);
    }

    private List<String> logged() {
        synchronized (events) {
            return events.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                    .toList();
        }
    }

    @Test
    void install_pahosFactoryHandsOutPahoLog_severeKeepAliveTimeoutBecomesOneWarnWithPahosText() {
        PahoLog.install();
        PahoLog.install(); // idempotent
        org.eclipse.paho.client.mqttv3.logging.Logger paho =
                org.eclipse.paho.client.mqttv3.logging.LoggerFactory.getLogger(CATALOG, PAHO_CLASS);
        assertThat(paho).isInstanceOf(PahoLog.class);
        paho.setResourceName("sensor-1");

        paho.severe(PAHO_CLASS, "checkForActivity", "619", new Object[] {1000L, 2L, 3L, 4L, 5L});
        paho.fine(PAHO_CLASS, "send", "617", new Object[] {"x"}); // DEBUG: not enabled here

        assertThat(logged()).containsExactly("WARN " + PAHO_CLASS + " sensor-1: Timed out as no activity, "
                + "keepAlive=1,000 lastOutboundActivity=2 lastInboundActivity=3 time=4 lastPing=5");
    }

    @Test
    void levels_mapToSlf4j_andAreFormattedOnlyWhenEnabled() {
        PahoLog paho = new PahoLog();
        paho.initialise(ResourceBundle.getBundle(CATALOG), PAHO_CLASS, null);
        target.setLevel(Level.TRACE);

        paho.warning(PAHO_CLASS, "m", "514", new Object[] {"s-1"});
        paho.info(PAHO_CLASS, "m", "a message that is its own text");
        paho.config(PAHO_CLASS, "m", "config {0}", new Object[] {"c"});
        paho.fine(PAHO_CLASS, "m", "fine");
        paho.finer(PAHO_CLASS, "m", "finer");
        paho.finest(PAHO_CLASS, "m", "finest {0", new Object[] {"bad pattern"});

        assertThat(logged()).containsExactly("WARN " + PAHO_CLASS + " Failed to persist buffered message key=s-1",
                "INFO " + PAHO_CLASS + " a message that is its own text", "DEBUG " + PAHO_CLASS + " config c",
                "DEBUG " + PAHO_CLASS + " fine", "TRACE " + PAHO_CLASS + " finer",
                "TRACE " + PAHO_CLASS + " finest {0 [bad pattern]");

        target.setLevel(Level.WARN);
        assertThat(paho.isLoggable(org.eclipse.paho.client.mqttv3.logging.Logger.SEVERE)).isTrue();
        assertThat(paho.isLoggable(org.eclipse.paho.client.mqttv3.logging.Logger.INFO)).isFalse();
        assertThat(paho.isLoggable(org.eclipse.paho.client.mqttv3.logging.Logger.FINEST)).isFalse();
    }
}
