package dev.mqttkit.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * mqttkit's loggers: SLF4J's, or, when the application has no SLF4J provider (SLF4J then drops everything), a
 * small one of our own that prints WARN and ERROR lines to standard error, so that the warnings a student must see
 * (another client with the same id, a payload that does not decode, a lost connection) are not lost.
 */
public final class Logs {

    private static final boolean NO_PROVIDER = LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;

    private Logs() {
    }

    /**
     * Returns the logger of a class.
     *
     * @param type the class that logs
     * @return SLF4J's logger, or the standard-error fallback when no SLF4J provider is bound
     */
    public static Logger get(Class<?> type) {
        return get(type.getName());
    }

    /**
     * Returns a logger by name.
     *
     * @param name the logger's name
     * @return SLF4J's logger, or the standard-error fallback when no SLF4J provider is bound
     */
    public static Logger get(String name) {
        return NO_PROVIDER ? StandardErrorLogger.named(name) : LoggerFactory.getLogger(name);
    }
}
