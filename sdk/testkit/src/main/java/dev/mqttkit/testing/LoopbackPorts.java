package dev.mqttkit.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free ports on 127.0.0.1, and waiting for a broker's port to open or close. */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the port accepts connections; {@code alive} throws when the broker died meanwhile. */
    static void awaitOpen(int port, Duration timeout, Runnable alive) {
        await("broker port " + port + " to open")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> {
                    alive.run();
                    return isOpen(port);
                });
    }

    static void awaitClosed(int port, Duration timeout) {
        await("broker port " + port + " to close")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> !isOpen(port));
    }
}
