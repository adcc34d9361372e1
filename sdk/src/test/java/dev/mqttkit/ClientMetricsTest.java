package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.internal.ClientCounters;
import org.junit.jupiter.api.Test;

class ClientMetricsTest {

    @Test
    void snapshot_doesNotMoveWithTheCounters() {
        ClientCounters counters = new ClientCounters();
        counters.received(Qos.AT_LEAST_ONCE);
        counters.newPublish(Qos.AT_MOST_ONCE).complete(null);

        ClientMetrics snapshot = new ClientMetrics(counters, true, 3, 2, 1);
        counters.received(Qos.AT_LEAST_ONCE);
        counters.newPublish(Qos.AT_MOST_ONCE).complete(null);

        assertThat(snapshot.received(Qos.AT_LEAST_ONCE)).isEqualTo(1);
        assertThat(snapshot.published()).isEqualTo(1);
        assertThat(new ClientMetrics(counters, true, 3, 2, 1).received()).isEqualTo(2);
    }

    @Test
    void toString_namesEveryFigure() {
        ClientCounters counters = new ClientCounters();
        counters.listenerError();
        counters.reconnected();

        String text = new ClientMetrics(counters, false, 4, 5, 6).toString();

        assertThat(text).isEqualTo("ClientMetrics[connected=false, published=0/0/0 (QoS 0/1/2), received=0/0/0, "
                + "publishFailures=0, inFlight=4, bufferedOffline=5, receiveQueue=6, reconnects=1, "
                + "connectionLosses=0, listenerErrors=1, decodeErrors=0, bytesIn=0, bytesOut=0]");
    }
}
