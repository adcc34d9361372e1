package dev.mqttkit.internal;

import javax.net.ssl.SSLSocketFactory;

import dev.mqttkit.Qos;
import dev.mqttkit.internal.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
 * @param sslSocketFactory the TLS settings, or {@code null} for the JVM's
 * @param hostnameVerification whether TLS checks the broker's host name
 * @param clientCertificate whether TLS presents a client certificate
 * @param serverUris every broker to try, in order; the first is {@code serverUri}
 * @param reconnectPolicy the waits between reconnect attempts
 * @param ackTimeout how long a sent QoS 1/2 message may wait for its acknowledgement while connected
 * @param offlineMaxMessages how many publishes the offline buffer holds; 0 turns it off
 * @param offlineMaxBytes how many payload bytes the offline buffer holds
 * @param receiveMaxMessages how many received messages may wait for the listeners
 * @param receiveMaxBytes how many payload bytes may wait for the listeners
 * @param persistence the directory of the file store, or {@code null} to keep in-flight messages in memory
 * @param strictQos whether a publish above the QoS the broker supports fails instead of going out lower
 * @param transport the proxy and WebSocket headers
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
        boolean hostnameVerification,
        boolean clientCertificate,
        List<String> serverUris,
        ReconnectPolicy reconnectPolicy,
        Duration ackTimeout,
        int offlineMaxMessages,
        long offlineMaxBytes,
        int receiveMaxMessages,
        long receiveMaxBytes,
        Path persistence,
        boolean strictQos,
        TransportSettings transport) {

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
                + ", hostnameVerification=" + hostnameVerification + ", clientCertificate=" + clientCertificate
                + ", serverUris=" + serverUris
                + ", reconnectPolicy=" + reconnectPolicy + ", ackTimeout=" + ackTimeout + ", offlineBuffer="
                + offlineMaxMessages + "/" + offlineMaxBytes + "B, receiveQueue=" + receiveMaxMessages + "/"
                + receiveMaxBytes + "B, persistence=" + (persistence == null ? "memory" : persistence) + ", strictQos="
                + strictQos + ", transport=" + transport + "]";
    }
}
