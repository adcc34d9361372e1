package dev.mqttkit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded HiveMQ CE broker's {@code config.xml}, from the template {@value #TEMPLATE} that the samples'
 * {@code EmbeddedBroker} reads too (its build takes the file from this module's resources).
 */
final class HiveMqConfig {

    /** The template on the class path: one copy for the kit and the samples. */
    static final String TEMPLATE = "/META-INF/mqttkit/hivemq-config.xml";

    private HiveMqConfig() {
    }

    /** Returns the configuration for a broker on {@code 127.0.0.1:port}, persisting to disk or not. */
    static String render(int port, boolean persistence) {
        return render(port, persistence, 0);
    }

    /**
     * Returns the configuration for a broker on {@code 127.0.0.1:port}, with a WebSocket listener on
     * {@code webSocketPort} (path {@code /mqtt}) unless it is 0.
     */
    static String render(int port, boolean persistence, int webSocketPort) {
        try (InputStream in = HiveMqConfig.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("The test kit's jar lacks " + TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{port}", Integer.toString(port))
                    .replace("{persistence-mode}", persistence ? "file" : "in-memory")
                    .replace("</tcp-listener>", webSocketPort == 0 ? "</tcp-listener>" : "</tcp-listener>\n"
                            + "        <websocket-listener>\n"
                            + "            <port>" + webSocketPort + "</port>\n"
                            + "            <bind-address>127.0.0.1</bind-address>\n"
                            + "            <path>/mqtt</path>\n"
                            + "            <subprotocols><subprotocol>mqtt</subprotocol></subprotocols>\n"
                            + "        </websocket-listener>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code config.xml} into {@code configFolder}. */
    static void write(Path configFolder, int port, boolean persistence) {
        write(configFolder, port, persistence, 0);
    }

    /** Writes {@code config.xml} with a WebSocket listener on {@code webSocketPort} unless it is 0. */
    static void write(Path configFolder, int port, boolean persistence, int webSocketPort) {
        try {
            Files.createDirectories(configFolder);
            Files.writeString(configFolder.resolve("config.xml"), render(port, persistence, webSocketPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
