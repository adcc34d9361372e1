package dev.mqttkit.testing;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's capability claims for ActiveMQ Artemis 2.40, checked against it. */
class ArtemisCapabilitiesIT extends CapabilitiesContract {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().kind(MosquittoBroker.Kind.ARTEMIS)
            .persistence(true).build();

    ArtemisCapabilitiesIT() {
        super(BROKER);
    }
}
