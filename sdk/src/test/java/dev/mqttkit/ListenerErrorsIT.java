package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** A listener that throws is logged and reported; it neither disconnects the client nor starves the others. */
@MosquittoTest
class ListenerErrorsIT {

    @RegisterExtension
    final Clients clients = new Clients();

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Delivery.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
        logger.setAdditive(false); // the failures are on purpose: captured here, not printed on the console
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
        logger.setAdditive(true);
    }

    @Test
    void listenerThrows_loggedReportedOthersStillReceive(MosquittoBroker broker) throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        List<Message> reportedMessages = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(clients.builder(broker).errorListener((message, error) -> {
            reportedMessages.add(message);
            reported.add(error);
        }));
        subscriber.subscribe("led", message -> {
            throw new IllegalStateException("bulb broken");
        });
        Recorder healthy = new Recorder();
        subscriber.subscribe("led", healthy);
        MyMqtt publisher = clients.started(broker);

        publisher.publish("led", "on").get();
        publisher.publish("led", "off").get();

        assertThat(healthy.awaitCount(2)).extracting(Message::payloadAsString).containsExactly("on", "off");
        org.awaitility.Awaitility.await().atMost(Recorder.TIMEOUT).until(() -> reported.size() == 2);
        assertThat(reported).allSatisfy(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                .hasMessage("bulb broken"));
        assertThat(reportedMessages).extracting(Message::payloadAsString).containsExactly("on", "off");
        assertThat(subscriber.isConnected()).isTrue();
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.ERROR)
                .extracting(ILoggingEvent::getFormattedMessage)
                .contains("The listener on [led] threw on the message on [led] of client [" + subscriber.clientId() + "]");
    }

    @Test
    void errorListenerThrows_loggedAndDeliveryContinues(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(clients.builder(broker).errorListener((message, error) -> {
            throw new IllegalArgumentException("hook broken too");
        }));
        Recorder recorder = new Recorder();
        subscriber.subscribe("led", message -> {
            if (message.payloadAsString().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            recorder.onMessage(message);
        });
        MyMqtt publisher = clients.started(broker);

        publisher.publish("led", "boom").get();
        publisher.publish("led", "after").get();

        assertThat(recorder.awaitPayload("after")).containsExactly("after");
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("The error listener of client [" + subscriber.clientId() + "] threw");
    }

    @Test
    void notifierThrows_reportedAndConnectionStaysUp(MosquittoBroker broker) throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(clients.builder(broker)
                .notifier((topic, payload) -> {
                    throw new IllegalStateException("notifier broken");
                })
                .errorListener((message, error) -> reported.add(error)));
        subscriber.subscribe("led");

        clients.started(broker).publish("led", "on").get();

        org.awaitility.Awaitility.await().atMost(Recorder.TIMEOUT).until(() -> reported.size() == 1);
        assertThat(reported.get(0)).hasMessage("notifier broken");
        assertThat(subscriber.isConnected()).isTrue();
    }
}
