package dev.mqttkit.internal.session;

import dev.mqttkit.internal.Logs;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.slf4j.Logger;

/**
 * Paho's own log messages, sent to SLF4J instead of {@code java.util.logging}.
 *
 * <p>Paho 1.2.5 logs through java.util.logging by default, so its few messages above FINE (a keep-alive timeout
 * logs at SEVERE) reached the console as two bare lines that an application's logback or log4j configuration
 * could not touch. {@link #install()} makes Paho use this class instead: each message goes to the SLF4J logger
 * named after the Paho class that logs it ({@code org.eclipse.paho.client.mqttv3.internal.ClientState}, ...),
 * with Paho's message text. Paho's SEVERE and WARNING become WARN (the client reports and handles what they
 * describe, a keep-alive timeout becomes a lost connection and a reconnect), INFO stays INFO, CONFIG and FINE
 * become DEBUG, FINER and FINEST TRACE. A message is formatted only when its level is enabled.
 *
 * <p>Paho's classes take their logger once, when they load; {@link #install()} runs before mqttkit first uses
 * Paho. It changes nothing when Paho cannot load this class (another class loader), and Paho classes already
 * loaded by the application keep their logger.
 */
public final class PahoLog implements org.eclipse.paho.client.mqttv3.logging.Logger {

    private static final Object INSTALL_LOCK = new Object();
    private static boolean installed;

    private ResourceBundle catalog;
    private Logger log = Logs.get(PahoLog.class);
    private volatile String resourceName;

    /** Created by Paho's {@code LoggerFactory}, one per Paho class; then {@link #initialise} names it. */
    public PahoLog() {
    }

    /** Makes Paho log through SLF4J, once per JVM; later calls do nothing. */
    public static void install() {
        synchronized (INSTALL_LOCK) {
            if (installed) {
                return;
            }
            installed = true;
            ClassLoader pahoLoader = org.eclipse.paho.client.mqttv3.logging.LoggerFactory.class.getClassLoader();
            try {
                if (Class.forName(PahoLog.class.getName(), false, pahoLoader) != PahoLog.class) {
                    return; // Paho would load another copy of this class: leave its logging alone
                }
            } catch (ClassNotFoundException | LinkageError notVisible) {
                return; // Paho could not instantiate it, and would fail to log at all: leave it alone
            }
            org.eclipse.paho.client.mqttv3.logging.LoggerFactory.setLogger(PahoLog.class.getName());
        }
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerId, String resourceContext) {
        this.catalog = messageCatalog;
        this.log = Logs.get(loggerId);
        this.resourceName = resourceContext;
    }

    @Override
    public void setResourceName(String logContext) {
        this.resourceName = logContext;
    }

    @Override
    public boolean isLoggable(int level) {
        return switch (level) {
            case SEVERE, WARNING -> log.isWarnEnabled();
            case INFO -> log.isInfoEnabled();
            case CONFIG, FINE -> log.isDebugEnabled();
            default -> log.isTraceEnabled();
        };
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg) {
        log(SEVERE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg) {
        log(WARNING, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg) {
        log(INFO, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg) {
        log(CONFIG, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg) {
        log(FINE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg) {
        log(FINER, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg) {
        log(FINEST, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts,
            Throwable thrown) {
        if (!isLoggable(level)) {
            return;
        }
        String context = resourceName;
        String text = (context == null || context.isEmpty() ? "" : context + ": ") + formatMessage(msg, inserts);
        switch (level) {
            case SEVERE, WARNING -> log.warn(text, thrown);
            case INFO -> log.info(text, thrown);
            case CONFIG, FINE -> log.debug(text, thrown);
            default -> log.trace(text, thrown);
        }
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts,
            Throwable ex) {
        log(level, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public String formatMessage(String msg, Object[] inserts) {
        String pattern = msg;
        if (catalog != null && msg != null) {
            try {
                pattern = catalog.getString(msg);
            } catch (MissingResourceException notAKey) {
                pattern = msg; // a message that is its own text
            }
        }
        if (pattern == null || inserts == null || inserts.length == 0) {
            return pattern;
        }
        try {
            return new MessageFormat(pattern, Locale.ROOT).format(inserts);
        } catch (IllegalArgumentException badPattern) {
            return pattern + " " + java.util.Arrays.toString(inserts);
        }
    }

    @Override
    public void dumpTrace() {
        // java.util.logging's memory trace has no SLF4J counterpart: nothing is kept to dump
    }
}
