package dev.mqttkit.samples.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateMeterTest {

    private static final long START = 1_700_000_000_000L;

    @Test
    void perSecond_firstMessage_isOnePerSecond() {
        RateMeter meter = new RateMeter(START);
        meter.record(START);
        assertThat(meter.perSecond(START)).isEqualTo(1.0);
    }

    @Test
    void perSecond_youngTopic_dividesByItsAge() {
        RateMeter meter = new RateMeter(START);
        for (int i = 0; i < 10; i++) {
            meter.record(START + i * 200L); // 5 a second for 2 s
        }
        assertThat(meter.perSecond(START + 2_000)).isEqualTo(5.0);
    }

    @Test
    void perSecond_steadyStream_isItsRate() {
        RateMeter meter = new RateMeter(START);
        for (int i = 0; i < 300; i++) {
            meter.record(START + i * 100L); // 10 a second for 30 s
        }
        assertThat(meter.perSecond(START + 29_950)).isEqualTo(10.0);
    }

    @Test
    void perSecond_quietForTheWholeWindow_isZero() {
        RateMeter meter = new RateMeter(START);
        for (int i = 0; i < 50; i++) {
            meter.record(START + i * 10L);
        }
        assertThat(meter.perSecond(START + 5_000)).isEqualTo(10.0);
        assertThat(meter.perSecond(START + 10_999)).isEqualTo(0.0);
        assertThat(meter.perSecond(START + 60_000)).isEqualTo(0.0);
    }
}
