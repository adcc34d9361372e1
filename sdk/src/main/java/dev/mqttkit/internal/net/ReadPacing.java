package dev.mqttkit.internal.net;

import java.io.IOException;

/**
 * How {@link InboundTopicStream} waits for more bytes while it holds messages back for the listeners: short socket
 * reads, then a look for room; now and then Paho's own read timeout, so that its reader loop runs as it would.
 */
interface ReadPacing {

    /** No pacing: reads keep the socket's timeout, and Paho's is taken as none. */
    ReadPacing NONE = new ReadPacing() {
        @Override
        public void shortReads(boolean on) {
        }

        @Override
        public int timeoutMillis() {
            return 0;
        }
    };

    /**
     * Switches between short read timeouts (while holding) and the socket's own.
     *
     * @param on whether reads time out quickly
     * @throws IOException when the socket refuses the timeout
     */
    void shortReads(boolean on) throws IOException;

    /**
     * The socket's own read timeout, Paho's.
     *
     * @return it in milliseconds; 0 for none
     */
    int timeoutMillis();
}
