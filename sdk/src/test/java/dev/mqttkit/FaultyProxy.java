package dev.mqttkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on the loopback interface that injects network faults between a client and a server: it cuts
 * connections (RST), stalls them, delays them or refuses new ones. Test code.
 *
 * <pre>{@code
 * try (FaultyProxy proxy = FaultyProxy.to(broker.port())) {
 *     MyMqtt client = MyMqtt.builder().serverUri(proxy.uri()).clientId("it-1").build();
 *     client.start();
 *     proxy.cut();   // the client sees a connection reset, as on a network failure
 * }
 * }</pre>
 *
 * <p>Each connection is forwarded by two daemon threads, one per direction, named
 * {@code faulty-proxy-<port>-<n>-up} (client to target) and {@code -down}; one more,
 * {@code faulty-proxy-<port>-accept}, accepts. All end when {@link #close()} returns or soon after.
 */
final class FaultyProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultyProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final java.util.concurrent.ScheduledExecutorService RESETS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "faulty-proxy-resets");
                thread.setDaemon(true);
                return thread;
            });

    private volatile int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    /** Guards the fault settings below; signalled whenever one of them, or a link's state, changes. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean stalled;
    private Duration delay = Duration.ZERO;
    private volatile boolean refusing;
    /** While set, each new connection is reset at a random time in [min, max] after it opened. */
    private volatile Duration[] resetAfter;
    private boolean closed;

    private FaultyProxy(int targetPort, ServerSocket server) {
        this.targetPort = targetPort;
        this.server = server;
    }

    /** Sends new connections to 127.0.0.1:targetPort from now on (a failover, or another broker); cut() the old ones. */
    void retarget(int targetPort) {
        this.targetPort = targetPort;
    }

    /** Starts a proxy listening on a free loopback port that forwards each connection to 127.0.0.1:targetPort. */
    static FaultyProxy to(int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        FaultyProxy proxy = new FaultyProxy(targetPort, server);
        Thread acceptor = new Thread(proxy::acceptLoop, "faulty-proxy-" + proxy.port() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** The loopback port the proxy listens on. */
    int port() {
        return server.getLocalPort();
    }

    /** The MQTT server URI of the proxy, {@code tcp://127.0.0.1:<port>}. */
    String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Resets every current connection on both sides, like a network failure; new connections still work. */
    void cut() {
        List.copyOf(links).forEach(Link::abort);
    }

    /** Stops forwarding bytes in both directions on every connection, current and new, until {@link #resume()}. */
    void stall() {
        update(() -> stalled = true);
    }

    /** Forwards again after {@link #stall()}, the bytes held during the stall first, in order. */
    void resume() {
        update(() -> stalled = false);
    }

    /** Adds latency {@code d} to every chunk forwarded in either direction; {@link Duration#ZERO} for none. */
    void delay(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("Delay [" + d + "] must not be negative.");
        }
        update(() -> delay = d);
    }

    /** While true, accepts each new connection and resets it at once; existing connections keep working. */
    void refuse(boolean refuse) {
        refusing = refuse;
    }

    /**
     * While set, resets each new connection at a random moment between {@code min} and {@code max} after it opened
     * (a flapping network, or a cluster node that keeps closing its clients); {@code null} stops it. Connections
     * opened before are left alone.
     */
    void resetAfter(Duration min, Duration max) {
        resetAfter = min == null ? null : new Duration[] {min, max};
    }

    /** How many connections the proxy has accepted since it started, refused ones included. */
    int connectionsAccepted() {
        return accepted.get();
    }

    /** How many connections are being forwarded now. */
    int openConnections() {
        return links.size();
    }

    /** Stops listening and resets every connection, which ends every proxy thread; idempotent. */
    @Override
    public void close() {
        List<Link> open;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(links);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Closing the proxy's server socket on port {} failed", port(), e);
        }
        open.forEach(Link::abort);
    }

    private void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("Proxy on port {} stopped accepting", port(), e);
                }
                // else: close() closed the server socket, which is how this loop is meant to end
                return;
            }
            int id = accepted.incrementAndGet();
            if (refusing) {
                reset(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
                        CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                // the target is down: the client sees what it would see without the proxy, a refused connection
                LOG.debug("Target port {} refused a connection", targetPort, e);
                reset(client);
                reset(upstream);
                continue;
            }
            start(new Link(client, upstream, id));
        }
    }

    private void start(Link link) {
        lock.lock();
        try {
            if (closed) {
                link.abort();
                return;
            }
            links.add(link);
        } finally {
            lock.unlock();
        }
        String name = "faulty-proxy-" + port() + "-" + link.id;
        startDaemon(() -> link.pump(link.client, link.upstream), name + "-up");
        startDaemon(() -> link.pump(link.upstream, link.client), name + "-down");
        Duration[] flap = resetAfter;
        if (flap != null) {
            long min = flap[0].toMillis();
            long wait = min + java.util.concurrent.ThreadLocalRandom.current().nextLong(flap[1].toMillis() - min + 1);
            RESETS.schedule(link::abort, wait, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static void startDaemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes a socket with an RST rather than a FIN, as a network failure or a refusing peer does. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException e) {
            // the socket is already closed or broken: there is nothing left to reset
        }
    }

    /** One proxied connection: the accepted client socket and the socket to the target. */
    private final class Link {

        private final Socket client;
        private final Socket upstream;
        private final int id;
        private final AtomicInteger directionsDone = new AtomicInteger();
        /** Set under {@link #lock} so that a pump waiting on {@link #changed} wakes up; volatile for reads. */
        private volatile boolean ended;

        Link(Socket client, Socket upstream, int id) {
            this.client = client;
            this.upstream = upstream;
            this.id = id;
        }

        /** Copies bytes from one socket to the other until end of stream, waiting out stalls and delays. */
        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (!awaitForwarding(System.nanoTime())) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                // pass the end of stream on, like a router would; the link ends once both directions have
                to.shutdownOutput();
                if (directionsDone.incrementAndGet() == 2) {
                    end(false);
                }
            } catch (IOException e) {
                if (!ended) {
                    // a peer reset or broke its side: reflect it on the other side as a reset
                    LOG.debug("Proxied connection {} failed", id, e);
                    abort();
                }
                // else: cut() or close() closed the sockets under this thread, as expected
            }
        }

        /**
         * Waits until a chunk read at {@code readAt} may be forwarded: not stalled and its delay elapsed.
         * Returns false if the link ended meanwhile.
         */
        private boolean awaitForwarding(long readAt) {
            lock.lock();
            try {
                while (!ended) {
                    long wait = readAt + delay.toNanos() - System.nanoTime();
                    if (!stalled && wait <= 0) {
                        return true;
                    }
                    if (stalled) {
                        changed.await();
                    } else {
                        changed.awaitNanos(wait);
                    }
                }
                return false;
            } catch (InterruptedException e) {
                // nothing interrupts proxy threads; if something does, drop the link rather than forward late
                Thread.currentThread().interrupt();
                abort();
                return false;
            } finally {
                lock.unlock();
            }
        }

        /** Resets both sides. */
        void abort() {
            end(true);
        }

        private void end(boolean reset) {
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            links.remove(this);
            for (Socket socket : List.of(client, upstream)) {
                if (reset) {
                    reset(socket);
                } else {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // both directions have already shut down: a failing close loses no data
                        LOG.debug("Closing proxied connection {} failed", id, e);
                    }
                }
            }
        }
    }
}
