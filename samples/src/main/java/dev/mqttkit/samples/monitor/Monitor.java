package dev.mqttkit.samples.monitor;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

/**
 * A web page that shows what goes on on a broker: the live topic tree with each topic's count, rate, QoS,
 * retained flag and last payload (JSON pretty-printed, numbers with a sparkline, binary as hex), a filter box and
 * a form to publish.
 *
 * <pre>{@code
 * try (Monitor monitor = Monitor.builder(MyMqtt.builder().serverUri("tcp://localhost:1883")).port(8080).start()) {
 *     System.out.println("Open " + monitor.url());   // http://127.0.0.1:8080/
 *     ...
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 unless {@link Builder#bind(String)} says otherwise, keeps at most
 * {@link Builder#maxTopics(int)} topics (the oldest idle ones go), and sends each page at most ten updates a second,
 * so a flood of messages costs neither the page nor this JVM more than a bounded amount.
 */
public final class Monitor implements AutoCloseable {

    private final TopicStore store;
    private final MonitorServer server;
    private final MonitorClient client;

    private Monitor(TopicStore store, MonitorServer server, MonitorClient client) {
        this.store = store;
        this.server = server;
        this.client = client;
    }

    /**
     * Starts describing a monitor.
     *
     * @param connection the monitor's MQTT client: broker, client id, credentials
     * @return a builder; {@link Builder#start()} starts the monitor
     */
    public static Builder builder(MyMqtt.Builder connection) {
        return new Builder(Objects.requireNonNull(connection, "connection"));
    }

    /**
     * Returns the page's address.
     *
     * @return for example {@code http://127.0.0.1:8080/}
     */
    public URI url() {
        return server.url();
    }

    /**
     * Returns the broker the monitor watches.
     *
     * @return for example {@code tcp://localhost:1883}
     */
    public String serverUri() {
        return client.serverUri();
    }

    TopicStore store() {
        return store;
    }

    /** Stops the page's server (open pages show that the stream ended) and disconnects. */
    @Override
    public void close() {
        store.close();
        server.close();
        client.stop();
    }

    /** Describes a monitor: where it listens, how much it keeps. */
    public static final class Builder {
        private final MyMqtt.Builder connection;
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxTopics = TopicStore.DEFAULT_MAX_TOPICS;
        private Qos qos = Qos.EXACTLY_ONCE;

        private Builder(MyMqtt.Builder connection) {
            this.connection = connection;
        }

        /**
         * Sets the address the page listens on; anything but a loopback address logs a warning, since anyone who
         * can reach it can publish.
         *
         * @param host an address of this machine, {@code 0.0.0.0} for all (default {@code 127.0.0.1})
         * @return this builder
         */
        public Builder bind(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the page's port.
         *
         * @param port a TCP port, 0 for any free one (default 8080)
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Port [" + port + "] must be between 0 and 65535.");
            }
            this.port = port;
            return this;
        }

        /**
         * Sets how many topics the monitor keeps; past that the topic idle the longest goes, and the page counts
         * it as dropped.
         *
         * @param maxTopics at least 1 (default 2,000)
         * @return this builder
         */
        public Builder maxTopics(int maxTopics) {
            if (maxTopics < 1) {
                throw new IllegalArgumentException("maxTopics [" + maxTopics + "] must be at least 1.");
            }
            this.maxTopics = maxTopics;
            return this;
        }

        /**
         * Sets the highest QoS the monitor receives at. At QoS 2, the default, each message shows the QoS it was
         * published with; a lower one caps it (MQTT delivers at the lower of the two).
         *
         * @param qos the subscription QoS
         * @return this builder
         */
        public Builder qos(Qos qos) {
            this.qos = Objects.requireNonNull(qos, "qos");
            return this;
        }

        /**
         * Starts the page's server, then connects and subscribes.
         *
         * @return the running monitor
         * @throws IllegalStateException when the port is in use
         * @throws dev.mqttkit.ConnectionException when the broker cannot be reached
         */
        public Monitor start() {
            TopicStore store = new TopicStore(maxTopics, TopicStore.DEFAULT_MAX_BYTES, TopicStore.DEFAULT_HISTORY,
                    TopicStore.DEFAULT_MAX_PAYLOAD_BYTES, java.time.Clock.systemUTC());
            MonitorClient client = new MonitorClient(connection, store, qos);
            // the port first: a port in use fails before anything connects to the broker
            MonitorServer server = MonitorServer.start(new InetSocketAddress(host, port), store, client);
            try {
                client.start();
            } catch (RuntimeException e) {
                store.close();
                server.close();
                client.stop();
                throw e;
            }
            return new Monitor(store, server, client);
        }
    }
}
