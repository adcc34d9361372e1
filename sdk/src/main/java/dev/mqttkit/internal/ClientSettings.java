package dev.mqttkit.internal;

import javax.net.ssl.SSLSocketFactory;

import dev.mqttkit.Qos;
import java.time.Duration;

/**
 * Everything {@link PahoSession} needs to connect, fixed when the client is built.
 *
 * @param serverUri {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId the MQTT client identifier
 * @param cleanSession {@code false} for a durable session
 * @param keepAlive the keep-alive interval ({@link Duration#ZERO} disables it)
 * @param connectTimeout how long connecting may take in all, socket and CONNACK
 * @param operationTimeout how long subscribe, unsubscribe, disconnect and waiting for in-flight room may take
 * @param userName the user name, or {@code null}
 * @param password the password, or {@code null}; never logged
 * @param will the last will, or {@code null}
 * @param maxInflight how many QoS 1/2 publishes may await their acknowledgement at once
 * @param automaticReconnect whether to reconnect after a lost connection
 * @param tcpNoDelay whether to disable Nagle's algorithm on the socket
 */
public record ClientSettings(
        String serverUri,
        String clientId,
        boolean cleanSession,
        Duration keepAlive,
        Duration connectTimeout,
        Duration operationTimeout,
        String userName,
        char[] password,
        Will will,
        int maxInflight,
        boolean automaticReconnect,
        boolean tcpNoDelay,
        SSLSocketFactory sslSocketFactory,
        boolean hostnameVerification) {

    /**
     * A last will: published by the broker when the client disappears without disconnecting.
     *
     * @param topic the topic name
     * @param payload the payload
     * @param qos the QoS
     * @param retain whether the broker retains it
     */
    public record Will(String topic, byte[] payload, Qos qos, boolean retain) {
        @Override
        public String toString() {
            return "Will[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos.value() + ", retain=" + retain + "]";
        }
    }

    @Override
    public String toString() {
        // the password never appears, not even its length
        return "ClientSettings[serverUri=" + serverUri + ", clientId=" + clientId + ", cleanSession=" + cleanSession
                + ", keepAlive=" + keepAlive + ", connectTimeout=" + connectTimeout + ", operationTimeout="
                + operationTimeout + ", userName=" + userName + ", password=" + (password == null ? "none" : "***")
                + ", will=" + will + ", maxInflight=" + maxInflight + ", automaticReconnect=" + automaticReconnect
                + ", tcpNoDelay=" + tcpNoDelay + ", tls=" + (sslSocketFactory == null ? "JVM default" : "configured")
                + ", hostnameVerification=" + hostnameVerification + "]";
    }
}
