package dev.mqttkit.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.samples.Lines;
import dev.mqttkit.samples.Probe;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Exercise 2 against a real broker: nobody writes twice in a row, with two, three and late users. */
@MosquittoTest
class ChatIT {

    private static final String REFUSAL =
            "Not sent: wait for someone else to reply (the last message on [chat] is yours).";

    private final List<Chat> chats = new ArrayList<>();
    private MosquittoBroker broker;

    @BeforeEach
    void clearRetainedChat(MosquittoBroker broker) {
        this.broker = broker;
        try (MyMqtt cleaner = MyMqtt.builder().serverUri(broker.uri()).clientId("cleaner").build()) {
            cleaner.start();
            cleaner.publish(Chat.TOPIC, "", Qos.EXACTLY_ONCE, true).join();
        }
    }

    @AfterEach
    void stopChats() {
        chats.forEach(Chat::stop);
    }

    private Chat join(String user, Consumer<String> display) {
        Chat chat = new Chat(user, MyMqtt.builder().serverUri(broker.uri()).clientId("chat-" + user + chats.size()),
                display);
        chats.add(chat);
        chat.start();
        return chat;
    }

    @Test
    void send_johnAndYokoAlternate_everyLineGoesThrough() {
        Lines john = new Lines();
        Lines yoko = new Lines();
        Chat johnChat = join("John", john);
        Chat yokoChat = join("Yoko", yoko);

        assertThat(johnChat.send("Hi")).isTrue();
        yoko.await("John: Hi");
        assertThat(yokoChat.send("Hi, how are you?")).isTrue();
        john.await("Yoko: Hi, how are you?");
        assertThat(johnChat.send("Good")).isTrue();
        yoko.await("John: Good");

        assertThat(john.all()).containsExactly("Yoko: Hi, how are you?");
        assertThat(yoko.all()).containsExactly("John: Hi", "John: Good");
    }

    @Test
    void send_letItBeOneWordAtATime_secondAndThirdAreRefused() {
        Lines john = new Lines();
        Lines yoko = new Lines();
        Chat johnChat = join("John", john);
        join("Yoko", yoko);

        assertThat(johnChat.send("Let")).isTrue();
        assertThat(johnChat.send("it")).isFalse();
        assertThat(johnChat.send("be")).isFalse();
        yoko.await("John: Let");

        assertThat(john.all()).containsExactly(REFUSAL, REFUSAL);
        try (Probe chat = Probe.on(broker.uri(), Chat.TOPIC)) {
            chat.awaitLast(Chat.TOPIC, "{\"user\":\"John\",\"text\":\"Let\"}"); // the retained last message
        }
        assertThat(yoko.all()).containsExactly("John: Let");
    }

    @Test
    void send_threeUsers_anyoneButTheLastWriterMayWrite() {
        Lines john = new Lines();
        Lines yoko = new Lines();
        Lines paul = new Lines();
        Chat johnChat = join("John", john);
        Chat yokoChat = join("Yoko", yoko);
        Chat paulChat = join("Paul", paul);

        assertThat(johnChat.send("Hi all")).isTrue();
        yoko.await("John: Hi all");
        paul.await("John: Hi all");
        assertThat(johnChat.send("Anyone?")).isFalse();
        assertThat(paulChat.send("Hi John")).isTrue();
        john.await("Paul: Hi John");
        yoko.await("Paul: Hi John");
        assertThat(paulChat.send("And Yoko?")).isFalse();
        assertThat(johnChat.send("Hi Paul")).isTrue(); // John may write again: Paul wrote last
        yoko.await("John: Hi Paul");
        assertThat(yokoChat.send("Hi both")).isTrue();
        john.await("Yoko: Hi both");
        paul.await("Yoko: Hi both");

        assertThat(paul.all()).containsExactly("John: Hi all", REFUSAL, "John: Hi Paul", "Yoko: Hi both");
        assertThat(john.all()).containsExactly(REFUSAL, "Paul: Hi John", "Yoko: Hi both");
    }

    @Test
    void start_lateJoiner_seesTheLastMessageAndTheTurnRuleHolds() {
        Lines john = new Lines();
        Lines yoko = new Lines();
        Chat johnChat = join("John", john);
        join("Yoko", yoko);
        assertThat(johnChat.send("Is anyone there?")).isTrue();
        yoko.await("John: Is anyone there?");

        Lines ringo = new Lines();
        Chat ringoChat = join("Ringo", ringo);
        ringo.await("John: Is anyone there?"); // retained: the broker kept the last message for him
        assertThat(ringoChat.lastWriter()).contains("John");
        assertThat(ringoChat.send("I am")).isTrue();
        john.await("Ringo: I am");
    }

    @Test
    void stop_rightAfterAReply_waitsForItsOwnMessageSoNothingIsLeftUndelivered() {
        Logger clientLog = (Logger) LoggerFactory.getLogger("dev.mqttkit.Connection");
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        clientLog.addAppender(warnings);
        try {
            Lines yoko = new Lines();
            join("Yoko", yoko);
            CountDownLatch shown = new CountDownLatch(1);
            Chat john = join("John", line -> {
                shown.countDown();
                // a slow console: John's own message, right behind this one, waits in his client's queue
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            });
            chats.get(0).send("Hi");
            assertThat(awaitQuietly(shown)).as("John shows Yoko's line").isTrue();
            assertThat(john.send("Hi, Yoko")).isTrue(); // allowed: Yoko's line came last
            john.stop();
            yoko.await("John: Hi, Yoko");
        } finally {
            clientLog.detachAppender(warnings);
        }
        List<String> leftWork;
        synchronized (warnings) {
            leftWork = warnings.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("stopped with work left"))
                    .toList();
        }
        assertThat(leftWork).as("WARNs of a chat stopped while its own message was on its way").isEmpty();
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void start_writerRejoinsAfterHisOwnLastMessage_isStillRefused() {
        Lines john = new Lines();
        Chat johnChat = join("John", john);
        join("Yoko", new Lines());
        assertThat(johnChat.send("Bye")).isTrue();
        johnChat.stop();

        Lines johnAgain = new Lines();
        Chat rejoined = join("John", johnAgain);
        await().atMost(Duration.ofSeconds(10)).until(() -> rejoined.lastWriter().equals(Optional.of("John")));
        assertThat(rejoined.send("Me again")).isFalse();
        assertThat(johnAgain.all()).containsExactly(REFUSAL);
    }

    @Test
    void notify_plainTextFromAnotherClient_isShownAndCountsAsSomeoneElse() {
        Lines john = new Lines();
        Chat johnChat = join("John", john);
        assertThat(johnChat.send("Hello?")).isTrue();
        try (Probe other = Probe.on(broker.uri(), Chat.TOPIC)) {
            other.client().publish(Chat.TOPIC, "hello from mosquitto_pub").join();
            john.await("(someone): hello from mosquitto_pub");
        }
        assertThat(johnChat.send("Who is that?")).isTrue();
    }
}
