package dev.mqttkit.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The ledger's memory of completed QoS 2 messages: a broker's repeat is recognised, a reused packet id is not. */
class Qos2LedgerTest {

    private static final byte[] ON = "ON".getBytes(StandardCharsets.UTF_8);

    @Test
    void isRepeat_sameIdAndContentCompletedLately_isARepeat_otherContentIsNot() {
        Qos2Ledger ledger = new Qos2Ledger();
        ledger.completed(1, "lamp", ON);

        assertThat(ledger.isRepeat(1, "lamp", ON)).isTrue();
        assertThat(ledger.isRepeat(1, "lamp", "OFF".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(ledger.isRepeat(1, "other", ON)).isFalse();
        assertThat(ledger.isRepeat(2, "lamp", ON)).isFalse();
    }

    @Test
    void isRepeat_afterTheBrokerSentANewMessageWithThatId_isNotARepeat() {
        // HiveMQ gives the next message the lowest free id: "ON" again as id 1, its PUBREC lost in a cut, then
        // resent flagged DUP on the next connection; it must run its listeners
        Qos2Ledger ledger = new Qos2Ledger();
        ledger.completed(1, "lamp", ON);
        ledger.reused(1);

        assertThat(ledger.isRepeat(1, "lamp", ON)).isFalse();
    }

    @Test
    void arrived_idForgottenBeforeItsPubcomp_nextMessageWithTheIdIsNew() {
        Qos2Ledger ledger = new Qos2Ledger();
        assertThat(ledger.arrived(1, 1)).isEqualTo(Qos2Ledger.Arrival.NEW);
        assertThat(ledger.arrived(1, 2)).isEqualTo(Qos2Ledger.Arrival.QUEUED);
        assertThat(ledger.finished(1)).isEqualTo(2);
        assertThat(ledger.arrived(1, 2)).isEqualTo(Qos2Ledger.Arrival.DONE);
        ledger.acknowledged(1);

        assertThat(ledger.arrived(1, 2)).isEqualTo(Qos2Ledger.Arrival.NEW);
        assertThat(ledger.size()).isEqualTo(1);
    }

    @Test
    void stillHeld_afterAFailedAcknowledgement_aLaterHandOverIsOnlyAcknowledged() {
        Qos2Ledger ledger = new Qos2Ledger();
        ledger.arrived(4, 1);
        ledger.finished(4);
        ledger.acknowledged(4);
        ledger.stillHeld(4, 1);

        assertThat(ledger.arrived(4, 2)).isEqualTo(Qos2Ledger.Arrival.DONE);
        assertThat(ledger.finished(4)).isEqualTo(2);
    }

    @Test
    void clear_newSession_forgetsEverything() {
        Qos2Ledger ledger = new Qos2Ledger();
        ledger.arrived(1, 1);
        ledger.completed(2, "lamp", ON);
        ledger.clear();

        assertThat(ledger.size()).isZero();
        assertThat(ledger.isRepeat(2, "lamp", ON)).isFalse();
    }

    @Test
    void reused_aNewPublishUnderTheIdOfAMessageWhosePubcompNeverWentOut_isNewNotARepeat() {
        // the listeners of message 7 ran, its PUBCOMP could not go out (the connection died); the broker, killed
        // and restarted without that message, never sends its PUBREL again and gives id 7 to a new message
        Qos2Ledger ledger = new Qos2Ledger();
        assertThat(ledger.arrived(7, 1)).isEqualTo(Qos2Ledger.Arrival.NEW);
        assertThat(ledger.finished(7)).isEqualTo(1);

        ledger.reused(7); // the socket reader saw the new PUBLISH, without DUP

        assertThat(ledger.arrived(7, 2)).as("the new message reaches its listeners").isEqualTo(
                Qos2Ledger.Arrival.NEW);
    }

    @Test
    void reused_whileTheFirstStillWaitsForItsListeners_bothRunAndOnlyTheNewOneIsAcknowledged() {
        Qos2Ledger ledger = new Qos2Ledger();
        Qos2Ledger.Handover first = ledger.handOver(7, 1);
        ledger.reused(7);
        Qos2Ledger.Handover second = ledger.handOver(7, 2);

        assertThat(first.arrival()).isEqualTo(Qos2Ledger.Arrival.NEW);
        assertThat(second.arrival()).isEqualTo(Qos2Ledger.Arrival.NEW);
        assertThat(ledger.finished(first.ticket())).as("the old one: no PUBCOMP for the new one's id").isEqualTo(-1);
        assertThat(ledger.finished(second.ticket())).isEqualTo(2);
    }

    @Test
    void finished_ticketOfAMessageTheLedgerForgot_belongsToNoConnection() {
        Qos2Ledger ledger = new Qos2Ledger();
        Qos2Ledger.Handover handover = ledger.handOver(3, 1);
        ledger.clear();

        assertThat(ledger.finished(handover.ticket())).isEqualTo(-1);
    }
}
