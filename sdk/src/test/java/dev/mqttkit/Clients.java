package dev.mqttkit;

import dev.mqttkit.testing.MosquittoBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes clients for a test and stops them all after it, so a failing assertion leaks no connection.
 * Register with {@code @RegisterExtension final Clients clients = new Clients();}.
 */
final class Clients implements AfterEachCallback {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final List<MyMqtt> made = new ArrayList<>();

    /** A builder pointed at the broker, with a unique client id. */
    MyMqtt.Builder builder(MosquittoBroker broker) {
        return MyMqtt.builder().serverUri(broker.uri()).clientId(uniqueId("it"));
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    MyMqtt track(MyMqtt client) {
        made.add(client);
        return client;
    }

    /** A started client. */
    MyMqtt started(MosquittoBroker broker) {
        return started(builder(broker));
    }

    MyMqtt started(MyMqtt.Builder builder) {
        MyMqtt client = track(builder.build());
        client.start();
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        made.forEach(MyMqtt::stop);
        made.clear();
    }
}
