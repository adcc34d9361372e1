package dev.mqttkit.architecture.violations.codec;

import dev.mqttkit.architecture.violations.internal.net.Wire;

/** A codec that uses internal code that uses it: a cycle between top-level packages. */
public class Codec {

    Wire wire;
}
