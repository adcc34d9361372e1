package dev.mqttkit.samples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log lines a test causes on purpose (a lost connection, a payload that does not decode), kept for the test
 * to assert and away from the console: a green build prints no WARN or ERROR it expects.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of("dev.mqttkit")) {
 *     ...
 *     assertThat(log.messages(Level.WARN)).contains("...");
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
    }

    /**
     * Captures a logger and those below it until {@link #close()}.
     *
     * @param name the logger, for example {@code dev.mqttkit}
     * @return the capture
     */
    public static LogCapture of(String name) {
        return new LogCapture((Logger) LoggerFactory.getLogger(name));
    }

    /**
     * The messages logged at a level so far.
     *
     * @param level the level
     * @return the messages, formatted, in order
     */
    public List<String> messages(Level level) {
        synchronized (appender) {
            return appender.list.stream().filter(event -> event.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.setAdditive(true);
        logger.detachAppender(appender);
    }
}
