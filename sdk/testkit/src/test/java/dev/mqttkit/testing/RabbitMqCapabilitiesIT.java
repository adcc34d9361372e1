package dev.mqttkit.testing;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's capability claims for RabbitMQ 3.10 with its MQTT plugin, checked against it. */
class RabbitMqCapabilitiesIT extends CapabilitiesContract {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().kind(MosquittoBroker.Kind.RABBITMQ)
            .persistence(true).build();

    RabbitMqCapabilitiesIT() {
        super(BROKER);
    }
}
