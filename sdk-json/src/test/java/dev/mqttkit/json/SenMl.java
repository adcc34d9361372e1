package dev.mqttkit.json;

import java.util.List;

/** The SenML-style records the labs send, as plain records: the README's worked example. */
final class SenMl {

    /** What a lab's Python sensor publishes with json.dumps(...). */
    static final String PYTHON_EXAMPLE = "{\"bn\": \"raspberry-1/\", \"bt\": 1732270530.5, \"e\": ["
            + "{\"n\": \"temperature\", \"u\": \"Cel\", \"t\": 0, \"v\": 21.5}, "
            + "{\"n\": \"humidity\", \"u\": \"%RH\", \"t\": 0.2, \"v\": 40}]}";

    /** One SenML pack: a base name, a base time and the measurements. */
    record Pack(String bn, Double bt, List<Record> e) {
    }

    /** One measurement: name, unit, time offset, numeric value (or boolean/string value). */
    record Record(String n, String u, Double t, Double v, Boolean vb, String vs) {
    }

    private SenMl() {
    }
}
