package dev.mqttkit.micrometer;

import dev.mqttkit.ClientMetrics;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a client's {@link MyMqtt#metrics()} to Micrometer meters, each tagged {@code client.id} (and with the tags
 * given). Counts are {@link FunctionCounter}s, the values of the moment are {@link Gauge}s; each reads the client
 * when the registry asks, so nothing runs on the message path.
 *
 * <pre>{@code
 * new MqttKitMetrics(client).bindTo(registry);               // Spring Boot, Micronaut: a MeterBinder bean
 * }</pre>
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code mqttkit.messages.published}</td><td>counter</td><td>{@code qos}</td></tr>
 *   <tr><td>{@code mqttkit.messages.received}</td><td>counter</td><td>{@code qos}</td></tr>
 *   <tr><td>{@code mqttkit.publish.failures}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code mqttkit.messages.inflight}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code mqttkit.messages.buffered}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code mqttkit.receive.queue}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code mqttkit.connected}</td><td>gauge (1 or 0)</td><td></td></tr>
 *   <tr><td>{@code mqttkit.reconnects}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code mqttkit.connection.losses}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code mqttkit.listener.errors}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code mqttkit.decode.errors}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code mqttkit.bytes.received}</td><td>counter, bytes</td><td></td></tr>
 *   <tr><td>{@code mqttkit.bytes.sent}</td><td>counter, bytes</td><td></td></tr>
 * </table>
 *
 * <p>The registry holds the client weakly, as Micrometer does for gauges: bind once per client.
 */
public final class MqttKitMetrics implements MeterBinder {

    private final MyMqtt client;
    private final Tags tags;

    /**
     * Meters for one client, tagged with its client id.
     *
     * @param client the client to observe
     */
    public MqttKitMetrics(MyMqtt client) {
        this(client, Tags.empty());
    }

    /**
     * Meters for one client, tagged with its client id and {@code tags} (for example the application's name).
     *
     * @param client the client to observe
     * @param tags more tags for every meter
     */
    public MqttKitMetrics(MyMqtt client, Iterable<Tag> tags) {
        this.client = Objects.requireNonNull(client, "client");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("client.id", client.clientId());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Qos qos : Qos.values()) {
            Tags byQos = tags.and("qos", String.valueOf(qos.value()));
            counter(registry, "mqttkit.messages.published", "Publishes the broker acknowledged (QoS 0: written)",
                    byQos, null, metrics -> metrics.published(qos));
            counter(registry, "mqttkit.messages.received", "Messages received from the broker", byQos, null,
                    metrics -> metrics.received(qos));
        }
        counter(registry, "mqttkit.publish.failures", "Publishes whose future failed", tags, null,
                ClientMetrics::publishFailures);
        gauge(registry, "mqttkit.messages.inflight", "Publishes awaiting the broker's acknowledgement",
                ClientMetrics::inFlight);
        gauge(registry, "mqttkit.messages.buffered", "Publishes in the offline buffer", ClientMetrics::bufferedOffline);
        gauge(registry, "mqttkit.receive.queue", "Messages waiting for their listeners", ClientMetrics::receiveQueue);
        gauge(registry, "mqttkit.connected", "1 while connected, else 0", metrics -> metrics.connected() ? 1 : 0);
        counter(registry, "mqttkit.reconnects", "Reconnects that succeeded", tags, null, ClientMetrics::reconnects);
        counter(registry, "mqttkit.connection.losses", "Connections lost", tags, null,
                ClientMetrics::connectionLosses);
        counter(registry, "mqttkit.listener.errors", "Listener failures", tags, null, ClientMetrics::listenerErrors);
        counter(registry, "mqttkit.decode.errors", "Payloads that did not decode", tags, null,
                ClientMetrics::decodeErrors);
        counter(registry, "mqttkit.bytes.received", "MQTT bytes read", tags, BaseUnits.BYTES, ClientMetrics::bytesIn);
        counter(registry, "mqttkit.bytes.sent", "MQTT bytes written", tags, BaseUnits.BYTES, ClientMetrics::bytesOut);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags meterTags, String unit,
            ToDoubleFunction<ClientMetrics> value) {
        FunctionCounter.builder(name, client, observed -> value.applyAsDouble(observed.metrics()))
                .description(description).tags(meterTags).baseUnit(unit).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<ClientMetrics> value) {
        Gauge.builder(name, client, observed -> value.applyAsDouble(observed.metrics()))
                .description(description).tags(tags).register(registry);
    }
}
