package dev.mqttkit.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.mqttkit.ConnectionException;
import dev.mqttkit.Message;
import dev.mqttkit.NotAuthorizedException;
import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.PublishFailedException;
import dev.mqttkit.Qos;
import dev.mqttkit.SubscriptionRefusedException;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.ReconnectPolicy;
import java.io.EOFException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;

/** The Paho boundary with a mocked Paho client: reason codes, the in-flight window, acknowledgements. */
class PahoSessionTest {

    private static final String URI = "tcp://127.0.0.1:1883";

    private final MqttAsyncClient client = mock(MqttAsyncClient.class);
    private final List<Object[]> arrived = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> lost = new CopyOnWriteArrayList<>();
    private final SessionHandler handler = new SessionHandler() {
        @Override
        public void onMessage(Message message, Runnable acknowledgement) {
            arrived.add(new Object[] {message, acknowledgement});
        }

        @Override
        public void onConnectionLost(RuntimeException cause) {
            lost.add(cause);
        }
    };
    private PahoSession session;

    private PahoSession session(int maxInflight, Duration operationTimeout) {
        return session(maxInflight, operationTimeout, true);
    }

    private PahoSession session(int maxInflight, Duration operationTimeout, boolean cleanSession) {
        ClientSettings settings = new ClientSettings(URI, "unit", cleanSession, Duration.ofSeconds(60),
                Duration.ofSeconds(2), operationTimeout, null, null, null, maxInflight, false, true, null, true,
                false, List.of(URI), ReconnectPolicy.DEFAULT, Duration.ofSeconds(60), 0, 1, 100, 1 << 20, null, false, dev.mqttkit.internal.TransportSettings.DEFAULT);
        when(client.isConnected()).thenReturn(true);
        session = new PahoSession(settings, handler, client);
        return session;
    }

    private static CompletableFuture<Void> publish(PahoSession session, int value, Qos qos) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        assertThat(session.publish("t", new byte[] {(byte) value}, qos, qos == Qos.EXACTLY_ONCE, future)).isTrue();
        return future;
    }

    @Test
    void publish_pahoStoresItThenUndoesItWhileTheConnectionCloses_isLeftToTheCallerNotLost() throws Exception {
        // Paho 1.2.5 puts a QoS 1 message in its store, then fails to save its token (the connection is closing:
        // 32102) and takes the message out again; it is not sent, now or after the reconnect
        PahoSession session = session(10, Duration.ofSeconds(2), false);
        when(client.publish(any(), any(MqttMessage.class), isNull(), any())).thenAnswer(call -> {
            session.persistence().put("s-7", persisted());
            session.persistence().remove("s-7");
            throw new MqttException(MqttException.REASON_CODE_CLIENT_DISCONNECTING);
        });
        CompletableFuture<Void> future = new CompletableFuture<>();

        assertThat(session.publish("t", new byte[] {1}, Qos.AT_LEAST_ONCE, false, future))
                .as("handed back to the caller, who keeps it for the reconnect").isFalse();
        assertThat(session.window().available()).isEqualTo(10);
        assertThat(future).isNotDone();
    }

    @Test
    void publish_pahoStoresItAndThrowsWithoutTakingItOut_recordRemovedAndLeftToTheCaller() throws Exception {
        // Paho's undo could not remove the record (its store closed meanwhile): a later start() would send it
        // without a future, and the caller's copy a second time
        PahoSession session = session(10, Duration.ofSeconds(2), false);
        when(client.publish(any(), any(MqttMessage.class), isNull(), any())).thenAnswer(call -> {
            session.persistence().put("s-8", persisted());
            throw new MqttException(MqttException.REASON_CODE_CLIENT_DISCONNECTING);
        });
        CompletableFuture<Void> future = new CompletableFuture<>();

        assertThat(session.publish("t", new byte[] {1}, Qos.AT_LEAST_ONCE, false, future)).isFalse();
        assertThat(session.persistence().containsKey("s-8")).isFalse();
        assertThat(session.window().available()).isEqualTo(10);
    }

    @Test
    void connect_unknownHost_saysSoNamingTheHost() throws Exception {
        ClientSettings settings = new ClientSettings("tcp://locahost:1883", "unit", true, Duration.ofSeconds(60),
                Duration.ofSeconds(2), Duration.ofSeconds(2), null, null, null, 10, false, true, null, true,
                false, List.of("tcp://locahost:1883"), ReconnectPolicy.DEFAULT, Duration.ofSeconds(60), 0, 1, 100,
                1 << 20, null, false, dev.mqttkit.internal.TransportSettings.DEFAULT);
        when(client.connect(any(MqttConnectOptions.class))).thenThrow(
                new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION,
                        new java.net.UnknownHostException("locahost: Name or service not known")));
        session = new PahoSession(settings, handler, client);

        assertThatThrownBy(session::connect).isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to tcp://locahost:1883: unknown host [locahost]; check the host name "
                        + "(localhost, an IP address, or a name this machine can resolve).");
    }

    private static org.eclipse.paho.client.mqttv3.MqttPersistable persisted() {
        return new org.eclipse.paho.client.mqttv3.internal.MqttPersistentData("s", new byte[] {1}, 0, 1,
                new byte[] {2}, 0, 1);
    }

    /** A message as Paho builds it from a PUBLISH with the DUP flag (its setter is protected). */
    private static MqttMessage flaggedDuplicate(byte[] payload) {
        return new MqttMessage(payload) {
            {
                setDuplicate(true);
            }
        };
    }

    private static IMqttToken connectToken(boolean sessionPresent) {
        IMqttToken token = mock(IMqttToken.class);
        when(token.isComplete()).thenReturn(true);
        when(token.getSessionPresent()).thenReturn(sessionPresent);
        return token;
    }

    @AfterEach
    void closeSession() {
        if (session != null) {
            when(client.isConnected()).thenReturn(false);
            session.close();
        }
    }

    @ParameterizedTest(name = "CONNACK {0}")
    @CsvSource(delimiter = '|', value = {
        "1 | dev.mqttkit.ConnectionException | Broker tcp://127.0.0.1:1883 refused the connection: unacceptable protocol version (CONNACK return code 1); mqttkit speaks MQTT 3.1.1.",
        "2 | dev.mqttkit.ConnectionException | Broker tcp://127.0.0.1:1883 refused client identifier [unit] (CONNACK return code 2).",
        "3 | dev.mqttkit.ConnectionException | Broker tcp://127.0.0.1:1883 refused the connection: server unavailable (CONNACK return code 3).",
        "4 | dev.mqttkit.NotAuthorizedException | Broker tcp://127.0.0.1:1883 refused the connection of client [unit]: bad user name or password (CONNACK return code 4).",
        "5 | dev.mqttkit.NotAuthorizedException | Broker tcp://127.0.0.1:1883 refused the connection of client [unit]: not authorised (CONNACK return code 5).",
    })
    void connect_connackRefused_translatedWithReturnCode(int code, Class<?> type, String message) throws Exception {
        IMqttToken token = mock(IMqttToken.class);
        when(client.connect(any(MqttConnectOptions.class))).thenReturn(token);
        doThrow(new MqttException(code)).when(token).waitForCompletion(anyLong());

        assertThatThrownBy(() -> session(10, Duration.ofSeconds(2)).connect()).isInstanceOf(type).hasMessage(message);
        verify(client).close(true);
    }

    @Test
    void connect_noConnack_throwsTimeoutAndTearsDown() throws Exception {
        IMqttToken token = mock(IMqttToken.class);
        when(client.connect(any(MqttConnectOptions.class))).thenReturn(token);
        doThrow(new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT)).when(token).waitForCompletion(anyLong());

        assertThatThrownBy(() -> session(10, Duration.ofSeconds(2)).connect())
                .isInstanceOf(OperationTimeoutException.class)
                .hasMessage("Timed out after 2s connecting to " + URI + ": the broker sent no CONNACK.");
        verify(client).disconnectForcibly(0, 1000, false);
        verify(client).close(true);
    }

    @Test
    void connect_refused_namesUriAndReason() throws Exception {
        when(client.connect(any(MqttConnectOptions.class))).thenThrow(
                new MqttException(MqttException.REASON_CODE_SERVER_CONNECT_ERROR, new ConnectException("Connection refused")));

        assertThatThrownBy(() -> session(10, Duration.ofSeconds(2)).connect())
                .isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to " + URI + ": connection refused (is a broker listening there?).");
    }

    @Test
    void connect_options_useMqtt311ManualReconnectAndNoDelaySockets() throws Exception {
        IMqttToken token = mock(IMqttToken.class);
        when(token.isComplete()).thenReturn(true);
        ArgumentCaptor<MqttConnectOptions> options = ArgumentCaptor.forClass(MqttConnectOptions.class);
        when(client.connect(options.capture())).thenReturn(token);

        session(7, Duration.ofSeconds(2)).connect();

        assertThat(options.getValue().getMqttVersion()).isEqualTo(MqttConnectOptions.MQTT_VERSION_3_1_1);
        assertThat(options.getValue().isAutomaticReconnect()).isFalse();
        assertThat(options.getValue().getMaxInflight()).isEqualTo(8);
        assertThat(options.getValue().getSocketFactory().getClass().getName())
                .isEqualTo("dev.mqttkit.internal.net.ClientSocketFactory");
        verify(client).setManualAcks(true);
    }

    @Test
    void publish_pahoSaysNotConnected_handsTheMessageBackAndFreesTheSlot() throws Exception {
        when(client.publish(any(), any(MqttMessage.class), isNull(), any()))
                .thenThrow(new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED));
        PahoSession session = session(2, Duration.ofMillis(300));

        for (int i = 0; i < 5; i++) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            // false: nothing was sent, the caller keeps the message for the reconnect
            assertThat(session.publish("t", new byte[] {1}, Qos.AT_LEAST_ONCE, false, future)).isFalse();
            assertThat(future).isNotDone();
        }
        assertThat(session.window().available()).isEqualTo(2);
    }

    @Test
    void publish_notConnected_sendsNothing() throws Exception {
        PahoSession session = session(2, Duration.ofMillis(300));
        when(client.isConnected()).thenReturn(false);

        assertThat(session.publish("t", new byte[] {1}, Qos.AT_LEAST_ONCE, false, new CompletableFuture<>())).isFalse();
        verify(client, never()).publish(any(), any(MqttMessage.class), any(), any());
    }

    @Test
    void publish_windowFull_waitsThenFailsNotSent() throws Exception {
        when(client.publish(any(), any(MqttMessage.class), isNull(), any())).thenReturn(mock(IMqttDeliveryToken.class));
        PahoSession session = session(2, Duration.ofMillis(200));
        publish(session, 1, Qos.AT_LEAST_ONCE);
        publish(session, 2, Qos.AT_LEAST_ONCE);

        CompletableFuture<Void> third = publish(session, 3, Qos.AT_LEAST_ONCE);

        assertThat(third).failsWithin(1, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .withMessage("Timed out after 200ms waiting for room to publish to [t] on " + URI
                        + ": 2 messages await their acknowledgement; the message was not sent.")
                .satisfies(e -> assertThat(((PublishFailedException) e).mayHaveArrived()).isFalse());
        verify(client, org.mockito.Mockito.times(2)).publish(eq("t"), any(MqttMessage.class), isNull(), any());
    }

    @Test
    void publish_acknowledged_completesFutureAndFreesSlot() throws Exception {
        ArgumentCaptor<IMqttActionListener> listeners = ArgumentCaptor.forClass(IMqttActionListener.class);
        when(client.publish(any(), any(MqttMessage.class), isNull(), listeners.capture()))
                .thenReturn(mock(IMqttDeliveryToken.class));
        PahoSession session = session(1, Duration.ofMillis(200));

        CompletableFuture<Void> first = publish(session, 1, Qos.EXACTLY_ONCE);
        listeners.getValue().onSuccess(mock(IMqttToken.class));
        CompletableFuture<Void> second = publish(session, 2, Qos.EXACTLY_ONCE);

        assertThat(first).succeedsWithin(1, TimeUnit.SECONDS);
        ArgumentCaptor<MqttMessage> sent = ArgumentCaptor.forClass(MqttMessage.class);
        verify(client, org.mockito.Mockito.times(2)).publish(eq("t"), sent.capture(), isNull(), any());
        assertThat(sent.getAllValues()).allSatisfy(message -> {
            assertThat(message.getQos()).isEqualTo(2);
            assertThat(message.isRetained()).isTrue();
        });
        listeners.getValue().onFailure(mock(IMqttToken.class),
                new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));
        assertThat(second).failsWithin(1, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .withMessage("Cannot publish to [t]: the connection to " + URI + " was lost (the broker closed the "
                        + "connection). The broker may have received the message on [t] before that.")
                .satisfies(e -> assertThat(((PublishFailedException) e).mayHaveArrived()).isTrue());
        assertThat(session.window().available()).isEqualTo(1);
    }

    @Test
    void publish_durableSessionFailedThenResentByPaho_slotFreedOnceAndFutureSucceeds() throws Exception {
        ArgumentCaptor<IMqttActionListener> listeners = ArgumentCaptor.forClass(IMqttActionListener.class);
        when(client.publish(any(), any(MqttMessage.class), isNull(), listeners.capture()))
                .thenReturn(mock(IMqttDeliveryToken.class));
        PahoSession session = session(4, Duration.ofMillis(200), false);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(publish(session, i, Qos.AT_LEAST_ONCE));
        }

        // Paho 1.2.5 on a durable session: fails each token at the cut, succeeds it after resending it
        MqttException cut = new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException());
        listeners.getAllValues().forEach(listener -> listener.onFailure(mock(IMqttToken.class), cut));
        session.connectionLost(cut);
        assertThat(futures).allSatisfy(future -> assertThat(future).isNotDone());
        listeners.getAllValues().forEach(listener -> listener.onSuccess(mock(IMqttToken.class)));

        assertThat(futures).allSatisfy(future -> assertThat(future).succeedsWithin(1, TimeUnit.SECONDS));
        assertThat(session.window().available()).isEqualTo(4);
        assertThat(session.window().pending()).isEmpty();
    }

    @Test
    void connectionLost_qos0FuturesFailAndFreeTheirSlots_durableQos1Waits() throws Exception {
        when(client.publish(any(), any(MqttMessage.class), isNull(), any())).thenReturn(mock(IMqttDeliveryToken.class));
        PahoSession session = session(4, Duration.ofMillis(200), false);
        CompletableFuture<Void> qos0 = publish(session, 0, Qos.AT_MOST_ONCE);
        CompletableFuture<Void> qos1 = publish(session, 1, Qos.AT_LEAST_ONCE);

        session.connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));

        assertThat(qos0).failsWithin(1, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .satisfies(e -> assertThat(((PublishFailedException) e).mayHaveArrived()).isTrue());
        assertThat(qos1).isNotDone();
        assertThat(session.window().available()).isEqualTo(3);
    }

    @Test
    void failOverdue_unacknowledgedQos1_failsInDoubtButKeepsItsSlot() throws Exception {
        when(client.publish(any(), any(MqttMessage.class), isNull(), any())).thenReturn(mock(IMqttDeliveryToken.class));
        PahoSession session = session(2, Duration.ofMillis(200));
        CompletableFuture<Void> future = new CompletableFuture<>();
        session.publish("t", new byte[] {1}, Qos.AT_LEAST_ONCE, false, future);
        session.window().pending().get(0).ackDeadline(System.nanoTime() - 1);

        session.failOverdue();

        assertThat(future).failsWithin(1, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .withMessage("Timed out after 60s waiting for " + URI + " to acknowledge the message on [t]; it may "
                        + "still arrive.");
        assertThat(session.window().available()).isEqualTo(1); // Paho still holds it
    }

    @Test
    void subscribe_brokerAnswers0x80_refusedNamingFilter() throws Exception {
        IMqttToken token = mock(IMqttToken.class);
        when(token.isComplete()).thenReturn(true);
        when(token.getGrantedQos()).thenReturn(new int[] {1, 0x80});
        when(client.subscribe(any(String[].class), any(int[].class))).thenReturn(token);
        Map<String, Qos> filters = new LinkedHashMap<>();
        filters.put("open/#", Qos.AT_LEAST_ONCE);
        filters.put("secret/#", Qos.AT_LEAST_ONCE);

        PahoSession session = session(10, Duration.ofSeconds(2));
        Map<String, Qos> granted = session.subscribe(filters);

        assertThat(granted).containsEntry("open/#", Qos.AT_LEAST_ONCE).containsEntry("secret/#", null);
        assertThat(session.refused("secret/#")).isInstanceOf(SubscriptionRefusedException.class)
                .hasMessage("Broker " + URI + " refused the subscription to topic filter [secret/#] (SUBACK return code "
                        + "0x80); check the broker's ACL for client [unit].");
    }

    @Test
    void subscribe_noSuback_timesOut() throws Exception {
        IMqttToken token = mock(IMqttToken.class);
        when(client.subscribe(any(String[].class), any(int[].class))).thenReturn(token);
        doThrow(new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT)).when(token).waitForCompletion(anyLong());

        assertThatThrownBy(() -> session(10, Duration.ofSeconds(2)).subscribe(Map.of("a", Qos.AT_MOST_ONCE)))
                .isInstanceOf(OperationTimeoutException.class)
                .hasMessage("Timed out after 2s subscribing to [a] on " + URI + ": the broker did not answer.");
    }

    @Test
    void messageArrived_qos1_acknowledgedOnlyWhenTold() throws Exception {
        PahoSession session = session(10, Duration.ofSeconds(2));
        MqttMessage incoming = new MqttMessage(new byte[] {'o', 'n'});
        incoming.setQos(1);
        incoming.setId(42);

        session.messageArrived("led", incoming);
        incoming.getPayload()[0] = 'X';

        Message message = (Message) arrived.get(0)[0];
        assertThat(message.payloadAsString()).isEqualTo("on");
        assertThat(message.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        verify(client, never()).messageArrivedComplete(anyInt(), anyInt());
        ((Runnable) arrived.get(0)[1]).run();
        verify(client).messageArrivedComplete(42, 1);
    }

    @Test
    void messageArrived_qos1FromAnEarlierConnection_notAcknowledgedOnTheNewOne() throws Exception {
        IMqttToken connected = connectToken(true);
        when(client.connect(any(MqttConnectOptions.class))).thenReturn(connected);
        PahoSession session = session(10, Duration.ofSeconds(2));
        MqttMessage incoming = new MqttMessage(new byte[] {1});
        incoming.setQos(1);
        incoming.setId(7);
        session.messageArrived("led", incoming);

        session.connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));
        session.reconnect(); // packet id 7 may now belong to another message
        ((Runnable) arrived.get(0)[1]).run();

        verify(client, never()).messageArrivedComplete(anyInt(), anyInt());
    }

    @Test
    void messageArrived_qos2HandedOverAgainAfterReconnect_listenersRunOnceAndItIsAcknowledgedOnce() throws Exception {
        IMqttToken connected = connectToken(true);
        when(client.connect(any(MqttConnectOptions.class))).thenReturn(connected);
        PahoSession session = session(10, Duration.ofSeconds(2), false);
        MqttMessage incoming = new MqttMessage(new byte[] {1});
        incoming.setQos(2);
        incoming.setId(9);
        session.messageArrived("led", incoming);

        // the cut comes before the listener finished; the broker sends PUBREL again and Paho hands it over again
        session.connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));
        session.reconnect();
        session.messageArrived("led", incoming);
        assertThat(arrived).hasSize(1);
        ((Runnable) arrived.get(0)[1]).run();
        verify(client).messageArrivedComplete(9, 2);

        // handed over again once more after its PUBCOMP: a new message with the same id runs its listeners
        session.messageArrived("led", incoming);
        assertThat(arrived).hasSize(2);
    }

    @Test
    void messageArrived_qos2ListenerFinishedBeforeTheRedelivery_onlyAcknowledged() throws Exception {
        IMqttToken connected = connectToken(true);
        when(client.connect(any(MqttConnectOptions.class))).thenReturn(connected);
        PahoSession session = session(10, Duration.ofSeconds(2), false);
        MqttMessage incoming = new MqttMessage(new byte[] {1});
        incoming.setQos(2);
        incoming.setId(11);
        session.messageArrived("led", incoming);
        session.connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));
        when(client.isConnected()).thenReturn(false);
        ((Runnable) arrived.get(0)[1]).run(); // finished while disconnected: no PUBCOMP possible
        verify(client, never()).messageArrivedComplete(anyInt(), anyInt());

        when(client.isConnected()).thenReturn(true);
        session.reconnect();
        session.messageArrived("led", incoming);

        assertThat(arrived).hasSize(1);
        verify(client).messageArrivedComplete(11, 2);
    }

    @Test
    void messageArrived_qos2RepeatedByTheBrokerAfterItsPubcomp_acknowledgedWithoutRunningTheListenersAgain()
            throws Exception {
        IMqttToken connected = connectToken(true);
        when(client.connect(any(MqttConnectOptions.class))).thenReturn(connected);
        PahoSession session = session(10, Duration.ofSeconds(2), false);
        MqttMessage incoming = new MqttMessage(new byte[] {'4', '2'});
        incoming.setQos(2);
        incoming.setId(5);
        session.messageArrived("load", incoming);
        ((Runnable) arrived.get(0)[1]).run();
        verify(client).messageArrivedComplete(5, 2);

        // Mosquitto 2.0.11 after a restart: the same message again, as a new PUBLISH flagged DUP
        session.connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));
        session.reconnect();
        MqttMessage repeat = flaggedDuplicate(new byte[] {'4', '2'});
        repeat.setQos(2);
        repeat.setId(5);
        session.messageArrived("load", repeat);

        assertThat(arrived).hasSize(1);
        verify(client, org.mockito.Mockito.times(2)).messageArrivedComplete(5, 2);

        // another message with that packet id and other content is new
        MqttMessage other = flaggedDuplicate(new byte[] {'4', '3'});
        other.setQos(2);
        other.setId(5);
        session.messageArrived("load", other);
        assertThat(arrived).hasSize(2);
    }

    @Test
    void messageArrived_qos2IdReusedByTheBrokerWhileItsPubcompIsBeingSent_theNewMessageRunsItsListeners()
            throws Exception {
        // HiveMQ gives the lowest free packet id to the next message: once it has the PUBCOMP for id 1, the next
        // message is id 1 again, and it can be handed over before messageArrivedComplete() has returned to us
        PahoSession session = session(10, Duration.ofSeconds(2));
        MqttMessage first = new MqttMessage(new byte[] {'2', '6'});
        first.setQos(2);
        first.setId(1);
        MqttMessage next = new MqttMessage(new byte[] {'2', '8'});
        next.setQos(2);
        next.setId(1);
        org.mockito.Mockito.doAnswer(invocation -> {
            org.mockito.Mockito.doNothing().when(client).messageArrivedComplete(1, 2);
            session.messageArrived("robotcell1/temperature2", next); // on Paho's receive thread, meanwhile
            return null;
        }).when(client).messageArrivedComplete(1, 2);
        session.messageArrived("robotcell1/temperature2", first);

        ((Runnable) arrived.get(0)[1]).run();

        assertThat(arrived).as("the second message, same packet id, other content").hasSize(2);
        assertThat(((Message) arrived.get(1)[0]).payload()).containsExactly('2', '8');
        ((Runnable) arrived.get(1)[1]).run();
        verify(client, org.mockito.Mockito.times(2)).messageArrivedComplete(1, 2);
    }

    @Test
    void messageArrived_qos2PahoFailsToForgetIt_aRepeatedHandOverIsOnlyAcknowledged() throws Exception {
        IMqttToken connected = connectToken(true);
        when(client.connect(any(MqttConnectOptions.class))).thenReturn(connected);
        PahoSession session = session(10, Duration.ofSeconds(2), false);
        MqttMessage incoming = new MqttMessage(new byte[] {7});
        incoming.setQos(2);
        incoming.setId(3);
        org.mockito.Mockito.doThrow(new org.eclipse.paho.client.mqttv3.MqttPersistenceException())
                .doNothing().when(client).messageArrivedComplete(3, 2);
        session.messageArrived("led", incoming);
        ((Runnable) arrived.get(0)[1]).run(); // Paho's store failed to remove it: Paho still holds the message

        session.connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));
        session.reconnect();
        session.messageArrived("led", incoming); // the broker's PUBREL again: Paho hands it over again

        assertThat(arrived).hasSize(1);
        verify(client, org.mockito.Mockito.times(2)).messageArrivedComplete(3, 2);
    }

    @Test
    void messageArrived_qos0_needsNoAcknowledgement() throws Exception {
        PahoSession session = session(10, Duration.ofSeconds(2));
        MqttMessage incoming = new MqttMessage(new byte[] {1});
        incoming.setQos(0);
        session.messageArrived("led", incoming);

        ((Runnable) arrived.get(0)[1]).run();

        verify(client, never()).messageArrivedComplete(anyInt(), anyInt());
    }

    @Test
    void connectionLost_reportedAsConnectionExceptionNamingCause() {
        session(10, Duration.ofSeconds(2))
                .connectionLost(new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, new EOFException()));

        assertThat(lost).hasSize(1);
        assertThat(lost.get(0)).isInstanceOf(ConnectionException.class)
                .hasMessage("Lost the connection to " + URI + ": the broker closed the connection.");
    }
}
