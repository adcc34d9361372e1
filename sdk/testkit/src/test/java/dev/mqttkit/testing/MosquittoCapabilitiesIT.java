package dev.mqttkit.testing;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's capability claims for the local Mosquitto, checked against it. */
class MosquittoCapabilitiesIT extends CapabilitiesContract {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().kind(MosquittoBroker.Kind.LOCAL)
            .persistence(true).build();

    MosquittoCapabilitiesIT() {
        super(BROKER);
    }
}
