package dev.mqttkit.architecture.violations.internal.dispatch;

import dev.mqttkit.architecture.violations.MyMqtt;

/** Internal code that calls back into the facade. */
public class Callback {

    MyMqtt client;
}
