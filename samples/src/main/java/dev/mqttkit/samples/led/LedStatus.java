package dev.mqttkit.samples.led;

/**
 * The LED's state as JSON: {@code {"status": "on"}} or {@code {"status": "off"}}.
 *
 * @param status {@code "on"} or {@code "off"}
 */
public record LedStatus(String status) {

    /** The JSON text for on. */
    public static final LedStatus ON = new LedStatus("on");
    /** The JSON text for off. */
    public static final LedStatus OFF = new LedStatus("off");

    /**
     * Returns the status for a state.
     *
     * @param on the state
     * @return {@link #ON} or {@link #OFF}
     */
    public static LedStatus of(boolean on) {
        return on ? ON : OFF;
    }

}
