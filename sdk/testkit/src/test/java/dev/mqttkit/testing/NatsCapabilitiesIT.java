package dev.mqttkit.testing;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's capability claims for NATS 2.9 with its MQTT listener, checked against it. */
class NatsCapabilitiesIT extends CapabilitiesContract {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().kind(MosquittoBroker.Kind.NATS)
            .persistence(true).build();

    NatsCapabilitiesIT() {
        super(BROKER);
    }
}
