package dev.mqttkit.internal;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The logger of {@link Logs} when no SLF4J provider is bound: WARN and ERROR lines to standard error, one line each
 * (an exception as its message and causes, not a stack trace), the rest dropped. The first line says where the
 * lines come from and how to choose a logging framework instead.
 */
final class StandardErrorLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean EXPLAINED = new AtomicBoolean();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private StandardErrorLogger(String name) {
        this.name = name;
    }

    static StandardErrorLogger named(String name) {
        return new StandardErrorLogger(name);
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return false;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        StringBuilder line = new StringBuilder();
        line.append(LocalTime.now().format(TIME)).append(' ').append(level).append(" [")
                .append(Thread.currentThread().getName()).append("] ")
                .append(name.substring(name.lastIndexOf('.') + 1)).append(" - ")
                .append(MessageFormatter.basicArrayFormat(pattern, arguments));
        for (Throwable cause = throwable; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            line.append(cause == throwable ? ": " : "; caused by ").append(cause);
        }
        PrintStream err = System.err;
        synchronized (err) {
            if (EXPLAINED.compareAndSet(false, true)) {
                err.println("mqttkit: no SLF4J provider is bound, so mqttkit prints its warnings and errors here; add "
                        + "one (for example org.slf4j:slf4j-simple or ch.qos.logback:logback-classic) to choose where "
                        + "they go.");
            }
            err.println(line);
        }
    }
}
