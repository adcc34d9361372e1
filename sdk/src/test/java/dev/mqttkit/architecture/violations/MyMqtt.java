package dev.mqttkit.architecture.violations;

import org.eclipse.paho.client.mqttv3.MqttMessage;

/** A facade that breaks every rule it can: it uses Paho and names a Paho type in public. */
public class MyMqtt {

    /** Names a Paho type. */
    public MqttMessage message() {
        return new MqttMessage();
    }
}
