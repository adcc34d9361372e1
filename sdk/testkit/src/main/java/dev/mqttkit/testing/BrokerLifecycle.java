package dev.mqttkit.testing;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker's life: its folder and port, chosen at the first start; start, stop and kill on that port; and
 * close, which leaves nothing behind (no process, no folder), also when a start fails half-way.
 */
final class BrokerLifecycle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);

    private final BrokerSettings settings;
    private Path directory;
    private int port;
    private Backend backend;
    private boolean running;

    BrokerLifecycle(BrokerSettings settings) {
        this.settings = settings;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        if (backend == null) {
            directory = TempDirectory.create();
            port = LoopbackPorts.free();
            MosquittoBroker.Kind kind = settings.requestedKind() != null ? settings.requestedKind()
                    : BackendChoice.chosenKind();
            backend = BackendChoice.create(kind, settings, directory, port);
        }
        BrokerReaper.watch(this);
        long started = System.nanoTime();
        try {
            backend.start();
            LoopbackPorts.awaitOpen(port, settings.readyTimeoutFor(backend.kind()), backend::checkAlive);
            if (settings.webSocketPort() > 0) {
                LoopbackPorts.awaitOpen(settings.webSocketPort(), settings.readyTimeoutFor(backend.kind()),
                        backend::checkAlive);
            }
        } catch (RuntimeException | Error e) {
            // the process may be up already (a slow start): never leave it behind
            try {
                backend.stop();
            } catch (RuntimeException stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        }
        running = true;
        LOG.info("Broker {} is up on {} after {} ms", backend.describe(), uri(), (System.nanoTime() - started) / 1_000_000);
    }

    synchronized void stop() {
        if (backend != null && running) {
            backend.stop();
            LoopbackPorts.awaitClosed(port, settings.readyTimeoutFor(backend.kind()));
            running = false;
            LOG.info("Broker {} on {} stopped", backend.describe(), uri());
        }
    }

    synchronized void kill() {
        if (running) {
            backend.kill();
            LoopbackPorts.awaitClosed(port, settings.readyTimeoutFor(backend.kind()));
            running = false;
            LOG.info("Broker {} on {} killed", backend.describe(), uri());
        }
    }

    synchronized void restart() {
        stop();
        start();
    }

    @Override
    public synchronized void close() {
        try {
            if (backend != null) {
                if (running || backend.mayBeUp()) {
                    backend.stop();
                    running = false;
                }
                backend.close();
            }
        } finally {
            TempDirectory.delete(directory);
            BrokerReaper.release(this);
        }
    }

    synchronized boolean isRunning() {
        return running;
    }

    String uri() {
        return (settings.tls() == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
    }

    String webSocketUri() {
        if (settings.webSocketPort() == 0) {
            throw new IllegalStateException("This broker has no WebSocket listener: build it with webSockets().");
        }
        return (settings.tls() == null ? "ws" : "wss") + "://127.0.0.1:" + settings.webSocketPort() + "/mqtt";
    }

    synchronized Path directory() {
        return directory;
    }

    int port() {
        return port;
    }

    MosquittoBroker.Kind kind() {
        return backend == null ? null : backend.kind();
    }

    /** The kind that runs, or before the first start the kind that will. */
    MosquittoBroker.Kind effectiveKind() {
        MosquittoBroker.Kind running = kind();
        if (running != null) {
            return running;
        }
        return settings.requestedKind() != null ? settings.requestedKind() : BackendChoice.chosenKind();
    }

    @Override
    public String toString() {
        return "MosquittoBroker[" + (backend == null ? "not started" : backend.describe() + " on " + uri()) + "]";
    }
}
