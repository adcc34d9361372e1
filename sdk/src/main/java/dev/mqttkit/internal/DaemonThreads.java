package dev.mqttkit.internal;

/** mqttkit's own threads are daemons with names that say which client they serve. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * Makes an unstarted daemon thread.
     *
     * @param task what it runs
     * @param name its name, for example {@code mqttkit-dispatch-<clientId>}
     * @return the thread
     */
    public static Thread create(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
