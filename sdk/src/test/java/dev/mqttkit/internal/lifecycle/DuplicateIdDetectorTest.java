package dev.mqttkit.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Connections that drop right after they were made, three times in a row, make one WARN. */
class DuplicateIdDetectorTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(DuplicateIdDetector.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void lost_threeQuickDropsInARow_warnsOnceNamingTheId() {
        DuplicateIdDetector detector = new DuplicateIdDetector("twin", "tcp://127.0.0.1:1883");

        for (int i = 0; i < 6; i++) {
            detector.connected();
            assertThat(detector.lost()).isTrue();
        }

        List<String> warnings = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).containsExactly("Client [twin] lost its connection to tcp://127.0.0.1:1883 within 5 s of "
                + "connecting, 3 times in a row: another client is probably using the same client id [twin] (the "
                + "broker drops the older connection when a new one uses its id). Give each client a unique id.");
    }

    @Test
    void lost_twoQuickDrops_noWarning() {
        DuplicateIdDetector detector = new DuplicateIdDetector("single", "tcp://127.0.0.1:1883");
        detector.connected();
        detector.lost();
        detector.connected();
        detector.lost();

        assertThat(logged.list).isEmpty();
    }
}
