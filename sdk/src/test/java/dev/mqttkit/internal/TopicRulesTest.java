package dev.mqttkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.InvalidTopicException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

public class TopicRulesTest {

    private static final String PUBLISHED = "a/b/c/d";

    // ------------------------------------------------------------------------------------------------------
    // matches(filter, topic): MQTT 3.1.1 section 4.7
    // ------------------------------------------------------------------------------------------------------

    /** The MQTT 3.1.1 matching cases, shared with the subscription tree's test. */
    public static Stream<Arguments> matchCases() {
        return Stream.of(
                // 4.7.1.2 multi-level wildcard, the spec's own examples
                match("sport/tennis/player1/#", "sport/tennis/player1", true),
                match("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
                match("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
                match("sport/#", "sport", true),
                match("sport/tennis/#", "sport/tennis", true),
                match("sport/tennis/player1/#", "sport/tennis/player2", false),
                match("sport/tennis/player1/#", "sport/tennis", false),
                match("sport/#", "sports", false),
                match("sport/#", "sport/", true),
                match("a/#", "a", true),
                match("a/#", "ab", false),
                match("a/b/#", "a/bc/d", false),

                // "#" alone receives every topic that does not start with '$'
                match("#", "sport", true),
                match("#", "sport/tennis/player1", true),
                match("#", "a/b/c/d/e/f/g", true),
                match("#", "/", true),
                match("#", "//", true),
                match("#", "/finance", true),
                match("#", "a/$SYS", true),
                match("#", "a$", true),

                // 4.7.1.3 single-level wildcard, the spec's own examples
                match("sport/tennis/+", "sport/tennis/player1", true),
                match("sport/tennis/+", "sport/tennis/player2", true),
                match("sport/tennis/+", "sport/tennis/player1/ranking", false),
                match("sport/+", "sport", false),
                match("sport/+", "sport/", true),
                match("+/+", "/finance", true),
                match("/+", "/finance", true),
                match("+", "/finance", false),
                match("+/tennis/#", "sport/tennis/player1", true),
                match("sport/+/player1", "sport/tennis/player1", true),
                match("sport/+/player1", "sport/tennis/player2", false),
                match("+", "a", true),
                match("+", "a/b", false),
                match("+/#", "a", true),
                match("+/#", "a/b/c", true),

                // 4.7.2 topics beginning with '$'
                match("#", "$SYS/monitor/Clients", false),
                match("+/monitor/Clients", "$SYS/monitor/Clients", false),
                match("$SYS/#", "$SYS/monitor/Clients", true),
                match("$SYS/monitor/+", "$SYS/monitor/Clients", true),
                match("$SYS/monitor/Clients", "$SYS/monitor/Clients", true),
                match("$SYS/#", "$SYS", true),
                match("+", "$SYS", false),
                match("+/#", "$SYS/x", false),
                match("#", "$", false),
                match("+/+", "$/a", false),
                match("a/+", "a/$SYS", true),
                match("$SYS/#", "$sys/monitor", false),

                // empty levels: "/" separates levels, a level may be empty
                match("a/+/b", "a//b", true),
                match("a/#", "a//b", true),
                match("+/+", "/", true),
                match("/#", "/", true),
                match("+", "/", false),
                match("/", "/", true),
                match("//", "/", false),
                match("/", "//", false),
                match("+/+/+", "//", true),
                match("a//b", "a//b", true),
                match("a//b", "a/b", false),
                match("a/b", "a//b", false),
                match("/a", "a", false),
                match("a", "/a", false),
                match("+/a", "/a", true),

                // case sensitivity
                match("ACCOUNTS", "Accounts", false),
                match("Accounts", "ACCOUNTS", false),
                match("ACCOUNTS", "ACCOUNTS", true),
                match("accounts/+", "Accounts/x", false),

                // spaces are ordinary characters
                match("a b/c d", "a b/c d", true),
                match("a b", "ab", false),
                match("+", "a b", true),
                match(" ", " ", true),
                match("a/ /b", "a//b", false),
                match("a/+/b", "a/ /b", true),
                match("a ", "a", false),

                // unicode levels, compared without normalization (4.7.3)
                match("sensör/+", "sensör/température", true),
                match("東京/#", "東京/天気/今日", true),
                match("€", "€", true),
                match("😀/+", "😀/x", true),
                match("😀", "😁", false),
                match("café", "cafe", false),
                match("caf\u00e9", "cafe\u0301", false),

                // exact matches and prefixes that must not match
                match("a/b", "a/b", true),
                match("a/b", "a/bc", false),
                match("a/bc", "a/b", false),
                match("a", "ab", false),
                match("ab", "a", false),
                match("a/b", "a", false),
                match("a", "a/b", false),

                // trailing slash adds an empty level
                match("a/b/", "a/b", false),
                match("a/b", "a/b/", false),
                match("a/b/", "a/b/", true),
                match("a/b/+", "a/b/", true),
                match("a/b/#", "a/b/", true),

                // too few topic levels for the filter
                match("a/+/+", "a/b", false),
                match("a/+/#", "a/b", true),
                match("a/+/#", "a", false),

                // the course table: publish to a/b/c/d
                match("#", PUBLISHED, true),
                match("+/+/+", PUBLISHED, false),
                match("+/+/+/+", PUBLISHED, true),
                match("+/b/c/#", PUBLISHED, true),
                match("+/b/c/d", PUBLISHED, true),
                match("a/#", PUBLISHED, true),
                match("a/+/+/d", PUBLISHED, true),
                match("a/+/c/d", PUBLISHED, true),
                match("a/b/#", PUBLISHED, true),
                match("a/b/c", PUBLISHED, false),
                match("a/b/c/#", PUBLISHED, true),
                match("a/b/c/d/#", PUBLISHED, true),
                match("a/b/c/d", PUBLISHED, true),
                match("b/+/c/d", PUBLISHED, false),
                match("a/b/c/d/+", PUBLISHED, false));
    }

    private static Arguments match(String filter, String topic, boolean expected) {
        return Arguments.of(filter, topic, expected);
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} -> {2}")
    @MethodSource("matchCases")
    void matches_specTable_returnsExpected(String filter, String topic, boolean expected) {
        assertThat(TopicRules.matches(filter, topic))
                .as("filter [%s] vs topic [%s]", filter, topic)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1}")
    @MethodSource("matchCases")
    void matches_specTable_usesOnlyValidArguments(String filter, String topic) {
        assertThatNoException().isThrownBy(() -> {
            TopicRules.checkTopicFilter(filter);
            TopicRules.checkTopicName(topic);
        });
    }

    @Test
    void matches_longTopicUnderHash_returnsTrue() {
        String topic = "a/" + "b/".repeat(10_000) + "c";

        assertThat(TopicRules.matches("a/#", topic)).isTrue();
        assertThat(TopicRules.matches("a/" + "+/".repeat(10_000) + "c", topic)).isTrue();
        assertThat(TopicRules.matches("a/" + "+/".repeat(9_999) + "c", topic)).isFalse();
    }

    // ------------------------------------------------------------------------------------------------------
    // checkTopicName
    // ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"a", "/", "//", "a/b", "a//b", "a/b/", "$SYS/monitor/Clients", "a b", "sensör/température",
            "😀/x", "a$b"})
    void checkTopicName_valid_returnsSameTopic(String topic) {
        assertThat(TopicRules.checkTopicName(topic)).isSameAs(topic);
    }

    @Test
    void checkTopicName_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> TopicRules.checkTopicName(null))
                .withMessage("topic");
    }

    @Test
    void checkTopicName_empty_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName(""))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [] must not be empty.");
    }

    @Test
    void checkTopicName_plusWildcard_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("a/+/b"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [a/+/b] must not contain the wildcard '+', found at index 2; "
                        + "wildcards are only allowed in topic filters.");
    }

    @Test
    void checkTopicName_hashWildcard_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("a/#"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [a/#] must not contain the wildcard '#', found at index 2; "
                        + "wildcards are only allowed in topic filters.");
    }

    @Test
    void checkTopicName_onlyPlus_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("+"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [+] must not contain the wildcard '+', found at index 0; "
                        + "wildcards are only allowed in topic filters.");
    }

    @Test
    void checkTopicName_onlyHash_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("#"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [#] must not contain the wildcard '#', found at index 0; "
                        + "wildcards are only allowed in topic filters.");
    }

    @Test
    void checkTopicName_wildcardInsideLevel_throwsAtFirstWildcard() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("sensor/temp#1+"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [sensor/temp#1+] must not contain the wildcard '#', found at index 11; "
                        + "wildcards are only allowed in topic filters.");
    }

    @Test
    void checkTopicName_nullCharacter_throwsWithEscapedCharacter() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("a/\0b"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [a/\\u0000b] must not contain the null character U+0000, found at index 2.");
    }

    @Test
    void checkTopicName_unpairedHighSurrogate_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("a\uD83Db"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [a\\uD83Db] must be valid UTF-8, found an unpaired surrogate at index 1.");
    }

    @Test
    void checkTopicName_highSurrogateAtEnd_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("ab\uD83D"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [ab\\uD83D] must be valid UTF-8, found an unpaired surrogate at index 2.");
    }

    @Test
    void checkTopicName_unpairedLowSurrogate_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("\uDE00a"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [\\uDE00a] must be valid UTF-8, found an unpaired surrogate at index 0.");
    }

    @Test
    void checkTopicName_surrogatesInWrongOrder_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicName("x\uDE00\uD83D"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [x\\uDE00\\uD83D] must be valid UTF-8, found an unpaired surrogate at index 1.");
    }

    @Test
    void checkTopicName_pairedSurrogates_returnsSameTopic() {
        String topic = "emoji/\uD83D\uDE00";

        assertThat(TopicRules.checkTopicName(topic)).isSameAs(topic);
    }

    @Test
    void checkTopicName_maxAsciiLength_returnsSameTopic() {
        String topic = "a".repeat(TopicRules.MAX_TOPIC_BYTES);

        assertThat(topic.getBytes(StandardCharsets.UTF_8)).hasSize(65_535);
        assertThat(TopicRules.checkTopicName(topic)).isSameAs(topic);
    }

    @Test
    void checkTopicName_oneByteOverAsciiLength_throwsWithShortenedValue() {
        String topic = "a".repeat(65_536);

        assertThatThrownBy(() -> TopicRules.checkTopicName(topic))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [" + "a".repeat(60) + "...(65,536 chars)] must be at most 65,535 bytes in UTF-8, "
                        + "was 65,536.");
    }

    @Test
    void checkTopicName_maxThreeByteCharacters_returnsSameTopic() {
        String topic = "€".repeat(21_845);

        assertThat(topic.getBytes(StandardCharsets.UTF_8)).hasSize(65_535);
        assertThat(TopicRules.checkTopicName(topic)).isSameAs(topic);
    }

    @Test
    void checkTopicName_oneThreeByteCharacterTooMany_throwsWithUtf8Size() {
        String topic = "€".repeat(21_846);

        assertThat(topic.getBytes(StandardCharsets.UTF_8)).hasSize(65_538);
        assertThatThrownBy(() -> TopicRules.checkTopicName(topic))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [" + "€".repeat(60) + "...(21,846 chars)] must be at most 65,535 bytes in UTF-8, "
                        + "was 65,538.");
    }

    @Test
    void checkTopicName_maxTwoByteCharacters_returnsSameTopic() {
        String topic = "é".repeat(32_767) + "a";

        assertThat(topic.getBytes(StandardCharsets.UTF_8)).hasSize(65_535);
        assertThat(TopicRules.checkTopicName(topic)).isSameAs(topic);
    }

    @Test
    void checkTopicName_twoByteCharactersOverLimit_throws() {
        String topic = "é".repeat(32_768);

        assertThatThrownBy(() -> TopicRules.checkTopicName(topic))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [" + "é".repeat(60) + "...(32,768 chars)] must be at most 65,535 bytes in UTF-8, "
                        + "was 65,536.");
    }

    @Test
    void checkTopicName_maxFourByteCharacters_returnsSameTopic() {
        String topic = "😀".repeat(16_383) + "abc";

        assertThat(topic.getBytes(StandardCharsets.UTF_8)).hasSize(65_535);
        assertThat(TopicRules.checkTopicName(topic)).isSameAs(topic);
    }

    @Test
    void checkTopicName_fourByteCharactersOverLimit_throwsWithUtf8Size() {
        String topic = "😀".repeat(16_384);

        assertThat(topic.getBytes(StandardCharsets.UTF_8)).hasSize(65_536);
        assertThatThrownBy(() -> TopicRules.checkTopicName(topic))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [" + "😀".repeat(30) + "...(32,768 chars)] must be at most 65,535 bytes in UTF-8, "
                        + "was 65,536.");
    }

    // ------------------------------------------------------------------------------------------------------
    // checkTopicFilter
    // ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"#", "+", "+/+", "a/+/b/#", "/", "//", "/#", "+/#", "$SYS/#", "$SYS/monitor/+",
            "$share/group/a/#", "sport/tennis/player1", "a b/+", "sensör/+", "😀/#"})
    void checkTopicFilter_valid_returnsSameFilter(String filter) {
        assertThat(TopicRules.checkTopicFilter(filter)).isSameAs(filter);
    }

    @Test
    void checkTopicFilter_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> TopicRules.checkTopicFilter(null))
                .withMessage("topic filter");
    }

    @Test
    void checkTopicFilter_empty_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter(""))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [] must not be empty.");
    }

    @Test
    void checkTopicFilter_hashNotLast_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("a/#/b"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [a/#/b] must have '#' only as the last level, found at index 2.");
    }

    @Test
    void checkTopicFilter_hashFirstOfSeveralLevels_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("#/a"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [#/a] must have '#' only as the last level, found at index 0.");
    }

    @Test
    void checkTopicFilter_hashFollowedByCharacter_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("a/#b"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [a/#b] must have '#' only as the last level, found at index 2.");
    }

    @Test
    void checkTopicFilter_doubleHash_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("##"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [##] must have '#' only as the last level, found at index 0.");
    }

    @Test
    void checkTopicFilter_hashNotWholeLevel_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("a/b#"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [a/b#] must have '#' as a whole level, found at index 3.");
    }

    @Test
    void checkTopicFilter_hashAfterWordInFirstLevel_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("sport#"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [sport#] must have '#' as a whole level, found at index 5.");
    }

    static Stream<Arguments> plusNotWholeLevelCases() {
        return Stream.of(
                Arguments.of("a/b+", 3),
                Arguments.of("a/+b", 2),
                Arguments.of("+a", 0),
                Arguments.of("a+", 1),
                Arguments.of("a+/b", 1),
                Arguments.of("++", 0),
                Arguments.of("sport/tennis+", 12),
                Arguments.of("a/+b/#", 2),
                Arguments.of("+/a+b", 3));
    }

    @ParameterizedTest(name = "[{index}] {0} at index {1}")
    @MethodSource("plusNotWholeLevelCases")
    void checkTopicFilter_plusNotWholeLevel_throws(String filter, int index) {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter(filter))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [" + filter + "] must have '+' as a whole level, found at index " + index
                        + ".");
    }

    @Test
    void checkTopicFilter_plusAndHashInOneLevel_throwsAtPlus() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("a/+#"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [a/+#] must have '+' as a whole level, found at index 2.");
    }

    @Test
    void checkTopicFilter_nullCharacter_throwsWithEscapedCharacter() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("a/+/\0"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [a/+/\\u0000] must not contain the null character U+0000, found at index 4.");
    }

    @Test
    void checkTopicFilter_unpairedSurrogate_throws() {
        assertThatThrownBy(() -> TopicRules.checkTopicFilter("+/\uD83D/#"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [+/\\uD83D/#] must be valid UTF-8, found an unpaired surrogate at index 2.");
    }

    @Test
    void checkTopicFilter_maxLength_returnsSameFilter() {
        String filter = "a".repeat(65_533) + "/#";

        assertThat(filter.getBytes(StandardCharsets.UTF_8)).hasSize(65_535);
        assertThat(TopicRules.checkTopicFilter(filter)).isSameAs(filter);
    }

    @Test
    void checkTopicFilter_oneByteOverLength_throwsWithShortenedValue() {
        String filter = "a".repeat(65_534) + "/#";

        assertThatThrownBy(() -> TopicRules.checkTopicFilter(filter))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [" + "a".repeat(60) + "...(65,536 chars)] must be at most 65,535 bytes in "
                        + "UTF-8, was 65,536.");
    }

    @Test
    void checkTopicFilter_maxThreeByteCharacters_returnsSameFilter() {
        String filter = "€".repeat(21_845);

        assertThat(TopicRules.checkTopicFilter(filter)).isSameAs(filter);
    }

    @Test
    void checkTopicFilter_oneThreeByteCharacterTooMany_throws() {
        String filter = "€".repeat(21_846);

        assertThatThrownBy(() -> TopicRules.checkTopicFilter(filter))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [" + "€".repeat(60) + "...(21,846 chars)] must be at most 65,535 bytes in "
                        + "UTF-8, was 65,538.");
    }

    @Test
    void checkTopicFilter_longInvalidFilter_quotesShortenedValue() {
        String filter = "a".repeat(100) + "#";

        assertThatThrownBy(() -> TopicRules.checkTopicFilter(filter))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [" + "a".repeat(60) + "...(101 chars)] must have '#' as a whole level, "
                        + "found at index 100.");
    }

    // ------------------------------------------------------------------------------------------------------
    // quote
    // ------------------------------------------------------------------------------------------------------

    @Test
    void quote_shortPrintableValue_returnsValue() {
        assertThat(TopicRules.quote("sport/tennis/+")).isEqualTo("sport/tennis/+");
    }

    @Test
    void quote_controlCharacters_escapesThem() {
        assertThat(TopicRules.quote("a\tb\nc\0d\u007fe")).isEqualTo("a\\u0009b\\u000Ac\\u0000d\\u007Fe");
    }

    @Test
    void quote_pairedSurrogates_keepsThem() {
        assertThat(TopicRules.quote("x😀y")).isEqualTo("x😀y");
    }

    @Test
    void quote_unpairedSurrogates_escapesThem() {
        assertThat(TopicRules.quote("\uDE00a\uD83D")).isEqualTo("\\uDE00a\\uD83D");
    }

    @Test
    void quote_exactlyLimit_returnsWholeValue() {
        String value = "b".repeat(60);

        assertThat(TopicRules.quote(value)).isEqualTo(value);
    }

    @Test
    void quote_overLimit_shortensAndCountsChars() {
        assertThat(TopicRules.quote("b".repeat(61))).isEqualTo("b".repeat(60) + "...(61 chars)");
    }
}
