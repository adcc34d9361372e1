package dev.mqttkit.testing;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's capability claims for the embedded HiveMQ CE broker, checked against it. */
class HiveMqCapabilitiesIT extends CapabilitiesContract {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().kind(MosquittoBroker.Kind.EMBEDDED)
            .persistence(true).build();

    HiveMqCapabilitiesIT() {
        super(BROKER);
    }
}
