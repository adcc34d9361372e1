package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two Artemis brokers: a raw client connects to each, and messages cross from any node to another. */
@Tag("cluster")
class ArtemisClusterIT {

    @RegisterExtension
    static final ArtemisCluster CLUSTER = ArtemisCluster.create();

    @Test
    void eachNode_rawClient_connects() {
        assertThat(CLUSTER.uris()).hasSize(2).allMatch(uri -> uri.startsWith("tcp://127.0.0.1:"));
        for (String uri : CLUSTER.uris()) {
            try (RawClient client = ClusterCrossing.connect(uri)) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    @Test
    void publishOnOneNode_subscriberOnAnother_receivesOnce() throws Exception {
        ClusterCrossing.assertCrosses(CLUSTER.uris().get(0), CLUSTER.uris().get(1));
        ClusterCrossing.assertCrosses(CLUSTER.uris().get(1), CLUSTER.uris().get(0));
    }

    @Test
    void killedNode_startedAgain_takesPartAgain() throws Exception {
        CLUSTER.kill(1);
        assertThatThrownBy(() -> RawClient.connect(CLUSTER.uris().get(1))).isInstanceOf(MqttException.class);

        CLUSTER.start(1);

        ClusterCrossing.assertCrosses(CLUSTER.uris().get(0), CLUSTER.uris().get(1));
        ClusterCrossing.assertCrosses(CLUSTER.uris().get(1), CLUSTER.uris().get(0));
    }
}
