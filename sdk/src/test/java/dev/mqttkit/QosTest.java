package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class QosTest {

    @Test
    void of_zero_returnsAtMostOnce() {
        assertThat(Qos.of(0)).isSameAs(Qos.AT_MOST_ONCE);
    }

    @Test
    void of_one_returnsAtLeastOnce() {
        assertThat(Qos.of(1)).isSameAs(Qos.AT_LEAST_ONCE);
    }

    @Test
    void of_two_returnsExactlyOnce() {
        assertThat(Qos.of(2)).isSameAs(Qos.EXACTLY_ONCE);
    }

    @Test
    void of_three_throws() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Qos.of(3))
                .withMessage("QoS [3] must be 0, 1 or 2.");
    }

    @Test
    void of_minusOne_throws() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Qos.of(-1))
                .withMessage("QoS [-1] must be 0, 1 or 2.");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(ints = {Integer.MIN_VALUE, -2, 4, 128, Integer.MAX_VALUE})
    void of_outOfRange_throws(int value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Qos.of(value))
                .withMessage("QoS [" + value + "] must be 0, 1 or 2.");
    }

    @Test
    void value_eachLevel_returnsWireNumber() {
        assertThat(Qos.AT_MOST_ONCE.value()).isZero();
        assertThat(Qos.AT_LEAST_ONCE.value()).isEqualTo(1);
        assertThat(Qos.EXACTLY_ONCE.value()).isEqualTo(2);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(Qos.class)
    void of_value_roundTrips(Qos qos) {
        assertThat(Qos.of(qos.value())).isSameAs(qos);
    }

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE),
                Arguments.of(Qos.AT_MOST_ONCE, Qos.AT_LEAST_ONCE, Qos.AT_MOST_ONCE, Qos.AT_LEAST_ONCE),
                Arguments.of(Qos.AT_MOST_ONCE, Qos.EXACTLY_ONCE, Qos.AT_MOST_ONCE, Qos.EXACTLY_ONCE),
                Arguments.of(Qos.AT_LEAST_ONCE, Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE, Qos.AT_LEAST_ONCE),
                Arguments.of(Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE),
                Arguments.of(Qos.AT_LEAST_ONCE, Qos.EXACTLY_ONCE, Qos.AT_LEAST_ONCE, Qos.EXACTLY_ONCE),
                Arguments.of(Qos.EXACTLY_ONCE, Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE, Qos.EXACTLY_ONCE),
                Arguments.of(Qos.EXACTLY_ONCE, Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE, Qos.EXACTLY_ONCE),
                Arguments.of(Qos.EXACTLY_ONCE, Qos.EXACTLY_ONCE, Qos.EXACTLY_ONCE, Qos.EXACTLY_ONCE));
    }

    @ParameterizedTest(name = "[{index}] min({0}, {1}) -> {2}")
    @MethodSource("pairs")
    void min_anyPair_returnsLower(Qos a, Qos b, Qos lower, Qos higher) {
        assertThat(a.min(b)).isSameAs(lower);
    }

    @ParameterizedTest(name = "[{index}] max({0}, {1}) -> {3}")
    @MethodSource("pairs")
    void max_anyPair_returnsHigher(Qos a, Qos b, Qos lower, Qos higher) {
        assertThat(a.max(b)).isSameAs(higher);
    }
}
