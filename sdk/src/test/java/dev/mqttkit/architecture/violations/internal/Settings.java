package dev.mqttkit.architecture.violations.internal;

import dev.mqttkit.architecture.violations.internal.net.Wire;

/** A class directly in internal that depends on one of internal's packages. */
public class Settings {

    Wire wire;
}
