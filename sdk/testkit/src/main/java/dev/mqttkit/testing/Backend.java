package dev.mqttkit.testing;

/** What runs a broker: a container, a child process or an in-JVM broker. */
interface Backend {

    MosquittoBroker.Kind kind();

    /** Names the broker for log lines, for example {@code Mosquitto (local /usr/sbin/mosquitto)}. */
    String describe();

    void start();

    /** Stops the broker gracefully; {@link #start()} may follow. */
    void stop();

    /** Stops the broker without a clean shutdown (SIGKILL of its processes); {@link #start()} may follow. */
    void kill();

    /** Tells whether a broker process may be up although start() did not finish. */
    default boolean mayBeUp() {
        return false;
    }

    /** Throws, with the broker's output, when the broker died while starting. */
    default void checkAlive() {
    }

    /** Frees what the backend holds for good (a container, an instance folder); the broker is stopped. */
    default void close() {
    }
}
