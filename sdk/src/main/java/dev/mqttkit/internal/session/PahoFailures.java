package dev.mqttkit.internal.session;

import dev.mqttkit.ConnectionException;
import dev.mqttkit.MqttKitException;
import dev.mqttkit.NotAuthorizedException;
import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.PublishFailedException;
import dev.mqttkit.SubscriptionRefusedException;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.net.Endpoint;
import dev.mqttkit.internal.net.MalformedPacketException;
import dev.mqttkit.internal.net.TlsFailures;
import dev.mqttkit.internal.net.TransportException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Turns what Paho throws into mqttkit's exceptions, each message in words: what failed, on which broker, and why,
 * as far as the client can know.
 */
final class PahoFailures {

    private final ClientSettings settings;

    PahoFailures(ClientSettings settings) {
        this.settings = settings;
    }

    /**
     * A failed CONNECT: TLS, the broker's CONNACK return code, or the network.
     *
     * @param e what Paho threw
     * @param serverAnsweredTls whether the server presented a TLS certificate ({@code null}: not TLS, or unknown)
     */
    RuntimeException connectFailure(MqttException e, Boolean serverAnsweredTls) {
        String uri = settings.serverUri();
        TransportException transport = cause(e, TransportException.class);
        if (transport != null) {
            return new ConnectionException(uri, "Cannot connect to " + uri + ": " + transport.getMessage() + ".", e);
        }
        Endpoint endpoint = Endpoint.parse(uri);
        boolean presentedCertificate = endpoint.secure() && settings.clientCertificate();
        RuntimeException tls = presentedCertificate ? TlsFailures.clientCertificateAlert(e, uri) : null;
        if (tls == null) {
            tls = TlsFailures.describe(e, uri);
        }
        boolean closed = closedByPeer(e) && e.getReasonCode() != MqttException.REASON_CODE_SERVER_CONNECT_ERROR;
        if (tls == null && closed && Boolean.FALSE.equals(serverAnsweredTls)) {
            tls = TlsFailures.notTls(e, uri);
        } else if (tls == null && closed && presentedCertificate) {
            tls = TlsFailures.clientCertificateRefused(e, uri);
        }
        if (tls != null) {
            return tls;
        }
        UnknownHostException unknown = cause(e, UnknownHostException.class);
        if (unknown != null) {
            String host = java.net.URI.create(uri).getHost();
            return new ConnectionException(uri, "Cannot connect to " + uri + ": unknown host [" + host + "]; check "
                    + "the host name (localhost, an IP address, or a name this machine can resolve).", e);
        }
        if (closed && uri.startsWith("tcp://")) {
            String secure = endpoint.secureUri();
            return new ConnectionException(uri, "Cannot connect to " + uri + ": the broker closed the connection "
                    + "before it answered the CONNECT; if that port speaks TLS (8883 usually does), use " + secure
                    + ".", e);
        }
        switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                return new NotAuthorizedException(uri, "Broker " + uri + " refused the connection of client ["
                        + settings.clientId() + "]: bad user name or password (CONNACK return code 4).", e);
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                return new NotAuthorizedException(uri, "Broker " + uri + " refused the connection of client ["
                        + settings.clientId() + "]: not authorised (CONNACK return code 5).", e);
            case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION:
                return new ConnectionException(uri, "Broker " + uri
                        + " refused the connection: unacceptable protocol version (CONNACK return code 1); mqttkit speaks MQTT 3.1.1.", e);
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                return new ConnectionException(uri, "Broker " + uri + " refused client identifier ["
                        + settings.clientId() + "] (CONNACK return code 2).", e);
            case MqttException.REASON_CODE_BROKER_UNAVAILABLE:
                return new ConnectionException(uri, "Broker " + uri
                        + " refused the connection: server unavailable (CONNACK return code 3).", e);
            case MqttException.REASON_CODE_CLIENT_TIMEOUT:
                return connectTimedOut();
            default:
                return translate(e, "connect");
        }
    }

    /** Whether the peer ended the connection: a reset, a broken pipe or an end of stream. */
    private static boolean closedByPeer(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof EOFException || cause instanceof java.net.SocketException
                    && !(cause instanceof ConnectException)) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** No CONNACK within the connect timeout. */
    OperationTimeoutException connectTimedOut() {
        Duration timeout = settings.connectTimeout();
        return new OperationTimeoutException(timeout, "Timed out after " + format(timeout) + " connecting to "
                + settings.serverUri() + ": the broker sent no CONNACK.");
    }

    /** Any other failure of an action ({@code "subscribe to [a/b]"}, {@code "publish"}). */
    RuntimeException translate(Throwable failure, String action) {
        if (failure instanceof MqttKitException mqttKit) {
            return mqttKit;
        }
        String uri = settings.serverUri();
        Throwable cause = failure.getCause();
        if (failure instanceof MqttException e) {
            switch (e.getReasonCode()) {
                case MqttException.REASON_CODE_SERVER_CONNECT_ERROR:
                    return new ConnectionException(uri, "Cannot " + action + " to " + uri + ": " + describe(cause)
                            + ".", failure);
                case MqttException.REASON_CODE_CLIENT_NOT_CONNECTED:
                    return new ConnectionException(uri, "Cannot " + action + ": not connected to " + uri + ".", failure);
                case MqttException.REASON_CODE_CONNECTION_LOST:
                    return new ConnectionException(uri, "Cannot " + action + ": the connection to " + uri
                            + " was lost" + (cause == null ? "" : " (" + describe(cause) + ")") + ".", failure);
                case MqttException.REASON_CODE_CLIENT_DISCONNECTING:
                case MqttException.REASON_CODE_CLIENT_CLOSED:
                case MqttException.REASON_CODE_CLIENT_ALREADY_DISCONNECTED:
                    return new ConnectionException(uri, "Cannot " + action + ": the client is disconnecting from "
                            + uri + ".", failure);
                case MqttException.REASON_CODE_CLIENT_TIMEOUT:
                    return new OperationTimeoutException(settings.operationTimeout(), "Timed out: cannot " + action
                            + " on " + uri + ".");
                default:
                    break;
            }
            return new ConnectionException(uri, "Cannot " + action + " on " + uri + ": " + e.getMessage()
                    + " (Paho reason code " + e.getReasonCode() + ").", failure);
        }
        return new ConnectionException(uri, "Cannot " + action + " on " + uri + ": " + describe(failure) + ".", failure);
    }

    /** The connection dropped; {@code uri} is the broker it was to. */
    ConnectionException connectionLost(String uri, Throwable cause) {
        Throwable reason = cause instanceof MqttException && cause.getCause() != null ? cause.getCause() : cause;
        return new ConnectionException(uri, "Lost the connection to " + uri + ": " + describe(reason) + ".", cause);
    }

    /** A sent message whose fate is unknown: the broker may have it. */
    PublishFailedException inDoubt(String topic, RuntimeException cause) {
        return new PublishFailedException(topic, true, cause.getMessage()
                + " The broker may have received the message on [" + topic + "] before that.", cause);
    }

    /** A filter the broker refused (SUBACK 0x80). */
    SubscriptionRefusedException refused(String filter) {
        return new SubscriptionRefusedException(filter, "Broker " + settings.serverUri()
                + " refused the subscription to topic filter [" + filter
                + "] (SUBACK return code 0x80); check the broker's ACL for client [" + settings.clientId() + "].");
    }

    /** No answer to a SUBSCRIBE or UNSUBSCRIBE within the operation timeout. */
    OperationTimeoutException noAnswer(String what) {
        Duration timeout = settings.operationTimeout();
        return new OperationTimeoutException(timeout, "Timed out after " + format(timeout) + " " + what
                + " on " + settings.serverUri() + ": the broker did not answer.");
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        if (cause instanceof MalformedPacketException malformed) {
            return "the broker sent a malformed packet (" + malformed.packet() + "); the client closed the connection";
        }
        if (cause instanceof ConnectException) {
            return "connection refused (is a broker listening there?)";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (cause instanceof EOFException) {
            return "the broker closed the connection";
        }
        if (cause instanceof SocketTimeoutException) {
            return "timed out opening the connection";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    static String format(Duration duration) {
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }
}
