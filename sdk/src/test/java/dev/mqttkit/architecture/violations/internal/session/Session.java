package dev.mqttkit.architecture.violations.internal.session;

import dev.mqttkit.architecture.violations.internal.net.Wire;

/** The other half of the cycle with the network package. */
public class Session {

    Wire wire;
}
