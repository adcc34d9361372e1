package dev.mqttkit.samples.cli;

import dev.mqttkit.ConnectionException;
import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.MqttKitException;
import dev.mqttkit.NotAuthorizedException;
import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.TlsException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns what goes wrong into one sentence that says what to do, never a stack trace: these are the errors a
 * student meets first (no broker, wrong port, wrong password, a bad topic, two clients with one id).
 */
final class Errors implements IExecutionExceptionHandler {

    static final int FAILED = 1;
    static final int USAGE = 2;

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        Throwable error = unwrap(exception);
        ConnectionOptions options = findOptions(commandLine);
        commandLine.getErr().println(describe(error, options));
        commandLine.getErr().flush();
        return exitCode(error);
    }

    /** {@link #USAGE} for what the options got wrong, {@link #FAILED} for the rest. */
    static int exitCode(Throwable error) {
        return error instanceof InvalidTopicException || error instanceof IllegalArgumentException ? USAGE : FAILED;
    }

    /** The one sentence for an error. */
    static String describe(Throwable error, ConnectionOptions options) {
        String broker = options == null ? "the broker" : options.describeBroker();
        if (error instanceof NotAuthorizedException) {
            if (options == null || options.username == null) {
                return "The broker at " + broker + " refused the connection: it wants a user name and password, "
                        + "so pass --username and --password.";
            }
            return "The broker at " + broker + " refused user [" + options.username + "]: the user name or password "
                    + "is wrong (or the user may not connect); check --username and --password.";
        }
        if (error instanceof OperationTimeoutException) {
            return "No answer from " + broker + " in time: check that --broker names an MQTT broker and its MQTT port "
                    + "(1883 for tcp://, 8883 for ssl://). (" + error.getMessage() + ")";
        }
        if (error instanceof TlsException) {
            return tls(error.getMessage(), broker, options);
        }
        if (error instanceof ConnectionException) {
            if (has(error, ConnectException.class)) {
                return "Cannot connect to " + broker + ": no MQTT broker is listening there. Start one (for example "
                        + "sudo systemctl start mosquitto), check the port in --broker, or add --embedded to run a "
                        + "broker inside this sample.";
            }
            if (has(error, UnknownHostException.class)) {
                return "Cannot connect to " + broker + ": the host name is unknown; check --broker.";
            }
            if (options != null && options.proxy != null && error.getMessage().contains(" proxy ")) {
                return error.getMessage()
                        .replace("add them with Proxy.http(host, port).withCredentials(user, password)",
                                "pass them with --proxy-user and --proxy-password")
                        .replace("add them with Proxy.socks5(host, port).withCredentials(user, password)",
                                "pass them with --proxy-user and --proxy-password")
                        .replace("(an HTTP proxy takes Proxy.http(host, port))", "(for an HTTP proxy use --proxy "
                                + "http://host:port)")
                        .replace("(a SOCKS proxy takes Proxy.socks5(host, port))", "(for a SOCKS5 proxy use --proxy "
                                + "socks5://host:port)") + " Check --proxy.";
            }
            return error.getMessage() + " Check that --broker names an MQTT broker's address and port.";
        }
        if (error instanceof InvalidTopicException) {
            return error.getMessage() + advice((InvalidTopicException) error);
        }
        if (error instanceof MqttKitException || error instanceof IllegalArgumentException
                || error instanceof IllegalStateException) {
            return error.getMessage();
        }
        return "Unexpected error: " + error;
    }

    /**
     * A TLS failure in the words of this command line: the SDK's message names its API ({@code Tls.trusting(...)}),
     * a user of the samples has {@code --ca}, {@code --cert} and {@code --key}.
     */
    static String tls(String message, String broker, ConnectionOptions options) {
        Path ca = options == null ? null : options.ca;
        Path certificate = options == null ? null : options.certificate;
        String failed = "Cannot connect to " + broker + " over TLS: ";
        if (message.contains("not signed by a CA this client trusts")) {
            return failed + (ca == null
                    ? "the broker's certificate is not signed by a CA that Java trusts; pass the CA that signed it "
                            + "with --ca, for example --ca ca.crt."
                    : "the broker's certificate is not signed by the CA in --ca [" + ca + "]; pass the CA that "
                            + "signed it.");
        }
        if (message.contains("wants a client certificate")) {
            return failed + (certificate == null
                    ? "the broker wants a client certificate; pass one it accepts with --cert and --key."
                    : "the broker does not accept the certificate in --cert [" + certificate + "]: it must be "
                            + "signed by a CA the broker trusts.");
        }
        if (message.contains("refuses a client certificate")) {
            return failed + "the broker closed the connection right after the TLS handshake, which is how it refuses "
                    + "a client certificate: the one in --cert [" + certificate + "] must be signed by a CA the "
                    + "broker trusts, and its file must hold the whole chain (the client's certificate, then its "
                    + "intermediate CA certificates).";
        }
        return message.replace("Tls.trusting(...)", "--ca").replace("Tls.withClientCertificate(...)",
                "--cert and --key");
    }

    /** What to do about a topic or filter, when the rule broken is about wildcards. */
    private static String advice(InvalidTopicException error) {
        String message = error.getMessage();
        if (message.startsWith("Topic filter [") && (message.contains("'+'") || message.contains("'#'"))) {
            return " Fix the filter in --topic: + stands for one whole level (robotcell1/+/temperature), # for all "
                    + "the levels below and only at the end (robotcell1/#).";
        }
        if (message.startsWith("Topic [") && message.contains("wildcard")) {
            return " Fix the topic: use + and # only in subscriptions, never in a topic you publish to.";
        }
        return "";
    }

    /** The one sentence for a connection that dropped while the sample ran. */
    static String connectionLost(String serverUri, String clientId, Throwable cause) {
        return "Lost the connection to " + serverUri + " (" + reason(cause) + "): most likely another client "
                + "connected with the same client id [" + clientId + "] (give each one its own --client-id, or leave "
                + "it out for a random one), or the broker stopped.";
    }

    private static String reason(Throwable cause) {
        String message = cause == null || cause.getMessage() == null ? "no reason given" : cause.getMessage();
        int colon = message.indexOf(": ");
        String reason = colon >= 0 ? message.substring(colon + 2) : message;
        return reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static ConnectionOptions findOptions(CommandLine commandLine) {
        Object command = commandLine.getCommand();
        return command instanceof SampleCommand sample ? sample.connection : null;
    }
}
