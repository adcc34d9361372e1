package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three NATS nodes: a raw client connects to each, and messages cross from any node to another. */
@Tag("cluster")
class NatsClusterIT {

    @RegisterExtension
    static final NatsCluster CLUSTER = NatsCluster.create();

    @Test
    void eachNode_rawClient_connects() {
        assertThat(CLUSTER.uris()).hasSize(3).allMatch(uri -> uri.startsWith("tcp://127.0.0.1:"));
        for (String uri : CLUSTER.uris()) {
            try (RawClient client = ClusterCrossing.connect(uri)) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    @Test
    void serverVersion_isTheRunningServers() {
        assertThat(CLUSTER.serverVersion()).as("nats-server -v of the binary the nodes run").matches("2\\.\\d+\\.\\d+");
    }

    @Test
    void publishOnOneNode_subscriberOnAnother_receivesOnce() throws Exception {
        ClusterCrossing.assertCrosses(CLUSTER.uris().get(0), CLUSTER.uris().get(2));
        ClusterCrossing.assertCrosses(CLUSTER.uris().get(1), CLUSTER.uris().get(0));
    }

    @Test
    void killedNode_startedAgain_takesPartAgain() throws Exception {
        CLUSTER.kill(1);
        assertThatThrownBy(() -> RawClient.connect(CLUSTER.uris().get(1))).isInstanceOf(MqttException.class);
        ClusterCrossing.assertCrosses(CLUSTER.uris().get(0), CLUSTER.uris().get(2));

        CLUSTER.start(1);

        ClusterCrossing.assertCrosses(CLUSTER.uris().get(1), CLUSTER.uris().get(2));
        ClusterCrossing.assertCrosses(CLUSTER.uris().get(0), CLUSTER.uris().get(1));
    }
}
