package dev.mqttkit.internal.session;

import dev.mqttkit.internal.ClientSettings;
import java.time.Duration;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/** The options Paho connects with, from the client's settings. */
final class PahoOptions {

    private PahoOptions() {
    }

    /**
     * The options of one connection attempt.
     *
     * @param settings the client's settings
     * @param socketFactory our socket factory (aliases, the receive gate, TLS)
     * @param servers the failover order, tried within one attempt
     * @return fresh options: Paho keeps a reference to them
     */
    static MqttConnectOptions of(ClientSettings settings, SocketFactory socketFactory, ServerRotation servers) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(settings.cleanSession());
        options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, ceilSeconds(settings.connectTimeout())));
        // mqttkit reconnects by itself: Paho's reconnect timer outlives close() in 1.2.5
        options.setAutomaticReconnect(false);
        // Our semaphore is the window; Paho's own limit sits one above it.
        options.setMaxInflight(settings.maxInflight() + 1);
        options.setSocketFactory(socketFactory);
        if (servers.size() > 1) {
            options.setServerURIs(servers.order()); // Paho tries them in this order within one attempt
        }
        options.setHttpsHostnameVerificationEnabled(settings.hostnameVerification());
        if (settings.userName() != null) {
            options.setUserName(settings.userName());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().clone());
        }
        ClientSettings.Will will = settings.will();
        if (will != null) {
            options.setWill(will.topic(), will.payload().clone(), will.qos().value(), will.retain());
        }
        return options;
    }

    /** Paho takes whole seconds: a part of one counts as one. */
    static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
