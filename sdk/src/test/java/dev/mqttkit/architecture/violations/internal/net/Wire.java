package dev.mqttkit.architecture.violations.internal.net;

import dev.mqttkit.architecture.violations.codec.Codec;
import dev.mqttkit.architecture.violations.internal.session.Session;

/** Depends on the session, which depends on it (a package cycle inside internal), and on a codec that uses it. */
public class Wire {

    Session session;
    Codec codec;
}
