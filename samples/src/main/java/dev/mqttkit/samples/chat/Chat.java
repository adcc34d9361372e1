package dev.mqttkit.samples.chat;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Notifier;
import dev.mqttkit.PayloadCodecException;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.json.JsonCodecs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Exercise 2: a chat on the topic {@code chat} where nobody may write twice in a row.
 *
 * <pre>
 * YES                          NO
 * John: Hi                     John: Let
 * Yoko: Hi, how are you?       John: it
 * John: Good                   John: be
 * </pre>
 *
 * <p>Every client subscribes to {@code chat} and publishes to it, so each one sees every message, its own
 * included, in the order the broker received them: the last message on {@code chat} says whose turn it is not.
 * With three or more users the rule is the same: anyone but the last writer may write.
 *
 * <p>Each message is published <b>retained</b>, so the broker keeps the last one and gives it to a user who joins
 * later: a late joiner knows at once who wrote last (and if it was them, from an earlier session, they must wait
 * too). The retained message arrives within milliseconds of subscribing. Two users who press enter at the same
 * moment may both get through: each checks the rule before the other's message has arrived.
 *
 * <pre>{@code
 * Chat john = new Chat("John", "chat-john", "localhost", 1883);
 * john.start();
 * john.send("Hi");        // true: sent
 * john.send("Let");       // false: refused, the last message on chat is John's
 * john.stop();
 * }</pre>
 *
 * <p>Run it with {@link #main(String[])}: {@code Chat name [host [port]]}, then type lines.
 */
public final class Chat implements Notifier {

    /** The topic every chat client shares. */
    public static final String TOPIC = "chat";

    private static final PayloadCodec<ChatMessage> JSON = JsonCodecs.of(ChatMessage.class);
    private static final String SOMEONE = "(someone)";
    /** How long {@link #stop()} waits for this user's last message to come back from the broker. */
    public static final Duration ECHO_WAIT = Duration.ofSeconds(2);

    private final String user;
    private final String topic;
    private final MyMqtt client;
    private final Consumer<String> display;
    private volatile String lastWriter; // who wrote the last message on "chat"; null before any
    private ChatMessage awaitedEcho; // our last message until the broker sent it back to us; guarded by this

    /**
     * Chats as a user until {@code /quit} or the end of the input: {@code Chat name [host [port]]}. Each line
     * typed is one message.
     *
     * @param args the user's name (default {@code John}), the broker's host (default {@code localhost}) and port
     *     (default 1883)
     * @throws IOException when the input cannot be read
     */
    public static void main(String[] args) throws IOException {
        String user = args.length > 0 ? args[0] : "John";
        String broker = args.length > 1 ? args[1] : "localhost";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 1883;
        // an id of its own: a second client with the same id makes the broker drop the first
        Chat chat = new Chat(user, "chat-" + user + "-" + (int) (Math.random() * 100_000), broker, port);
        chat.start();
        // Ctrl-C: disconnect properly (an MQTT DISCONNECT) before the program ends
        Runtime.getRuntime().addShutdownHook(new Thread(chat::stop));
        System.out.println("Chatting on [" + TOPIC + "] as " + user + ". Type a line and press enter; /quit leaves.");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = input.readLine(); line != null && !line.strip().equals("/quit"); line = input.readLine()) {
            if (!line.isBlank()) {
                chat.send(line);
            }
        }
        chat.stop();
    }

    /**
     * Creates a chat client the way the lab creates {@code MyMQTT(clientID, broker, port, notifier)}; it prints to
     * the console.
     *
     * @param user the name shown with each message
     * @param clientId the MQTT client id, unique on the broker
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public Chat(String user, String clientId, String broker, int port) {
        this.user = checkUser(user);
        this.topic = TOPIC;
        this.display = System.out::println;
        this.client = new MyMqtt(clientId, broker, port, this);
    }

    /**
     * Creates a chat client with a client configured by a builder (URI, credentials, QoS, ...).
     *
     * @param user the name shown with each message
     * @param connection the client's settings; the chat sets itself as the notifier
     * @param display where the chat writes the others' messages and its refusals
     */
    public Chat(String user, MyMqtt.Builder connection, Consumer<String> display) {
        this(user, connection, "", display);
    }

    /**
     * Creates a chat client with a client configured by a builder, on a chat topic under a prefix: a group of
     * students sharing a broker with others then chats on its own topic.
     *
     * @param user the name shown with each message
     * @param connection the client's settings; the chat sets itself as the notifier
     * @param topicPrefix put before the topic, for example {@code "group1/"} for {@code group1/chat}; {@code ""}
     *     for the course's topic
     * @param display where the chat writes the others' messages and its refusals
     */
    public Chat(String user, MyMqtt.Builder connection, String topicPrefix, Consumer<String> display) {
        this.user = checkUser(user);
        this.topic = topicPrefix + TOPIC;
        this.display = display;
        this.client = connection.notifier(this).build();
    }

    /** Connects and subscribes to {@code chat}; the broker then sends the last message, if any. */
    public void start() {
        client.start();
        client.subscribe(topic);
    }

    /**
     * Disconnects, once the broker has sent this user's last message back (waiting at most {@link #ECHO_WAIT}):
     * stopping while it is still on its way would leave it undelivered, and the client would say so in a WARN.
     */
    public void stop() {
        long deadline = System.nanoTime() + ECHO_WAIT.toNanos();
        synchronized (this) {
            long left;
            while (awaitedEcho != null && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            awaitedEcho = null;
        }
        client.stop();
    }

    /**
     * Sends a message, unless the last message on {@code chat} is this user's own.
     *
     * @param text what to say
     * @return {@code true} when sent (the broker acknowledged it), {@code false} when refused
     */
    public boolean send(String text) {
        if (user.equals(lastWriter)) {
            display.accept("Not sent: wait for someone else to reply (the last message on [" + topic
                    + "] is yours).");
            return false;
        }
        String previous = lastWriter;
        lastWriter = user; // already now, so that a quick second line is refused too
        ChatMessage message = new ChatMessage(user, text);
        synchronized (this) {
            awaitedEcho = message;
        }
        try {
            // retained: the broker keeps this last message for users who join later
            client.publishWith().topic(topic).value(message, JSON).retain(true).send().join();
        } catch (RuntimeException notSent) {
            synchronized (this) {
                awaitedEcho = null;
            }
            lastWriter = previous;
            throw notSent;
        }
        return true;
    }

    /**
     * Returns who wrote the last message on {@code chat}, as far as this client has seen.
     *
     * @return the user name, empty before the first message
     */
    public Optional<String> lastWriter() {
        return Optional.ofNullable(lastWriter);
    }

    /** Called by mqttkit for each message on {@code chat}, ours included, in the broker's order. */
    @Override
    public void notify(String topic, byte[] payload) {
        if (payload.length == 0) {
            lastWriter = null; // someone cleared the retained message: the chat starts afresh
            return;
        }
        ChatMessage message = read(payload);
        lastWriter = message.user();
        synchronized (this) {
            if (message.equals(awaitedEcho)) {
                awaitedEcho = null;
                notifyAll();
            }
        }
        if (!user.equals(message.user())) {
            display.accept(message.user() + ": " + message.text());
        }
    }

    /** JSON from a chat client; plain text (a client that does not speak JSON) counts as someone else's. */
    private static ChatMessage read(byte[] payload) {
        try {
            ChatMessage message = JSON.decode(payload);
            if (message != null && message.user() != null && message.text() != null) {
                return message;
            }
        } catch (PayloadCodecException notJson) {
            // shown as it is below: nothing is dropped
        }
        return new ChatMessage(SOMEONE, new String(payload, StandardCharsets.UTF_8));
    }

    private static String checkUser(String user) {
        Objects.requireNonNull(user, "user");
        if (user.isBlank() || user.equals(SOMEONE)) {
            throw new IllegalArgumentException("User name [" + user + "] must not be blank or " + SOMEONE + ".");
        }
        return user;
    }
}
