package dev.mqttkit.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.InvalidTopicException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTest {

    // ------------------------------------------------------------------------------------------------------
    // of
    // ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"sensor/1234/temperature", "a", "/", "//", "/a", "a/", "a//b", "$SYS/monitor/Clients",
            "a b/c d", "sensör/température", "東京/天気", "😀/x", "a$b", "a/$SYS"})
    void of_validName_keepsName(String name) {
        assertThat(Topic.of(name).toString()).isEqualTo(name);
    }

    @Test
    void of_maxLength_accepted() {
        String name = "a".repeat(65_535);

        assertThat(Topic.of(name).toString()).isEqualTo(name);
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("", "Topic [] must not be empty."),
                Arguments.of("a/+/b", "Topic [a/+/b] must not contain the wildcard '+', found at index 2; "
                        + "wildcards are only allowed in topic filters."),
                Arguments.of("+", "Topic [+] must not contain the wildcard '+', found at index 0; "
                        + "wildcards are only allowed in topic filters."),
                Arguments.of("sensor/#", "Topic [sensor/#] must not contain the wildcard '#', found at index 7; "
                        + "wildcards are only allowed in topic filters."),
                Arguments.of("#", "Topic [#] must not contain the wildcard '#', found at index 0; "
                        + "wildcards are only allowed in topic filters."),
                Arguments.of("temp+1", "Topic [temp+1] must not contain the wildcard '+', found at index 4; "
                        + "wildcards are only allowed in topic filters."),
                Arguments.of("a/\0b", "Topic [a/\\u0000b] must not contain the null character U+0000, found at "
                        + "index 2."),
                Arguments.of("a\uD83Db", "Topic [a\\uD83Db] must be valid UTF-8, found an unpaired surrogate at "
                        + "index 1."),
                Arguments.of("\uDE00", "Topic [\\uDE00] must be valid UTF-8, found an unpaired surrogate at index 0."),
                Arguments.of("a".repeat(65_536), "Topic [" + "a".repeat(60) + "...(65,536 chars)] must be at most "
                        + "65,535 bytes in UTF-8, was 65,536."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidNames")
    void of_invalidName_throwsWithRuleMessage(String name, String message) {
        assertThatThrownBy(() -> Topic.of(name))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @Test
    void of_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> Topic.of(null))
                .withMessage("topic");
    }

    // ------------------------------------------------------------------------------------------------------
    // builder
    // ------------------------------------------------------------------------------------------------------

    @Test
    void builder_threeLevels_joinsWithSlash() {
        Topic topic = Topic.builder().level("sensor").level("1234").level("temperature").build();

        assertThat(topic.toString()).isEqualTo("sensor/1234/temperature");
        assertThat(topic).isEqualTo(Topic.of("sensor/1234/temperature"));
        assertThat(topic.levels()).containsExactly("sensor", "1234", "temperature");
    }

    @Test
    void builder_oneLevel_buildsSingleLevelTopic() {
        assertThat(Topic.builder().level("status").build().toString()).isEqualTo("status");
    }

    @Test
    void builder_dollarLevel_isAllowed() {
        assertThat(Topic.builder().level("$SYS").level("broker").build().toString()).isEqualTo("$SYS/broker");
    }

    static Stream<Arguments> emptyLevels() {
        return Stream.of(
                Arguments.of(List.of("", "finance"), "/finance"),
                Arguments.of(List.of("a", ""), "a/"),
                Arguments.of(List.of("a", "", "b"), "a//b"),
                Arguments.of(List.of("", ""), "/"),
                Arguments.of(List.of("", "", ""), "//"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("emptyLevels")
    void builder_emptyLevel_isKept(List<String> levels, String expected) {
        Topic.Builder builder = Topic.builder();
        levels.forEach(builder::level);

        Topic topic = builder.build();

        assertThat(topic.toString()).isEqualTo(expected);
        assertThat(topic.levels()).isEqualTo(levels);
    }

    @Test
    void builder_onlyOneEmptyLevel_throwsBecauseTopicWouldBeEmpty() {
        // one empty level is the empty string, which MQTT forbids as a topic name
        assertThatThrownBy(() -> Topic.builder().level("").build())
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [] must not be empty.");
    }

    @Test
    void builder_unicodeLevel_isKept() {
        assertThat(Topic.builder().level("sensör").level("😀").build().toString()).isEqualTo("sensör/😀");
    }

    static Stream<Arguments> invalidLevels() {
        return Stream.of(
                Arguments.of("a/b", "Topic level [a/b] must not contain '/', found at index 1."),
                Arguments.of("/", "Topic level [/] must not contain '/', found at index 0."),
                Arguments.of("+", "Topic level [+] must not contain '+', found at index 0."),
                Arguments.of("temp+", "Topic level [temp+] must not contain '+', found at index 4."),
                Arguments.of("#", "Topic level [#] must not contain '#', found at index 0."),
                Arguments.of("x#y", "Topic level [x#y] must not contain '#', found at index 1."),
                Arguments.of("a\0", "Topic level [a\\u0000] must not contain the null character U+0000, found at "
                        + "index 1."),
                Arguments.of("\n/", "Topic level [\\u000A/] must not contain '/', found at index 1."),
                Arguments.of("a+/#", "Topic level [a+/#] must not contain '+', found at index 1."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidLevels")
    void builderLevel_forbiddenCharacter_throwsWithLevelMessage(String level, String message) {
        Topic.Builder builder = Topic.builder().level("sensor");

        assertThatThrownBy(() -> builder.level(level))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @Test
    void builderLevel_rejectedValue_isNotAdded() {
        Topic.Builder builder = Topic.builder().level("sensor");
        assertThatThrownBy(() -> builder.level("1/2")).isInstanceOf(InvalidTopicException.class);

        assertThat(builder.level("temperature").build().toString()).isEqualTo("sensor/temperature");
    }

    @Test
    void builderLevel_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> Topic.builder().level(null))
                .withMessage("level");
    }

    @Test
    void builderBuild_noLevel_throwsIllegalStateException() {
        assertThatIllegalStateException()
                .isThrownBy(() -> Topic.builder().build())
                .withMessage("Topic.Builder has no level: add one with level(...).");
    }

    @Test
    void builderBuild_tooLong_throwsWithSizeMessage() {
        Topic.Builder builder = Topic.builder().level("a".repeat(40_000)).level("b".repeat(40_000));

        assertThatThrownBy(builder::build)
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [" + "a".repeat(60) + "...(80,001 chars)] must be at most 65,535 bytes in UTF-8, "
                        + "was 80,001.");
    }

    @Test
    void builderBuild_calledTwice_buildsEqualTopics() {
        Topic.Builder builder = Topic.builder().level("a").level("b");

        assertThat(builder.build()).isEqualTo(builder.build());
    }

    // ------------------------------------------------------------------------------------------------------
    // levels
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> levelCases() {
        return Stream.of(
                Arguments.of("sensor/1234/temperature", List.of("sensor", "1234", "temperature")),
                Arguments.of("a", List.of("a")),
                Arguments.of("/finance", List.of("", "finance")),
                Arguments.of("a/", List.of("a", "")),
                Arguments.of("/", List.of("", "")),
                Arguments.of("//", List.of("", "", "")),
                Arguments.of("a//b", List.of("a", "", "b")),
                Arguments.of("$SYS/broker", List.of("$SYS", "broker")),
                Arguments.of("a b/ c", List.of("a b", " c")));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("levelCases")
    void levels_topic_splitsAtSlashKeepingEmptyLevels(String name, List<String> expected) {
        assertThat(Topic.of(name).levels()).isEqualTo(expected);
    }

    @Test
    void levels_result_isUnmodifiable() {
        List<String> levels = Topic.of("a/b").levels();

        assertThatThrownBy(() -> levels.add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> levels.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void levels_calledTwice_returnsSameList() {
        Topic topic = Topic.of("a/b/c");

        assertThat(topic.levels()).isSameAs(topic.levels());
    }

    // ------------------------------------------------------------------------------------------------------
    // equals, hashCode, toString
    // ------------------------------------------------------------------------------------------------------

    @Test
    void equals_sameName_isEqualWithSameHashCode() {
        Topic parsed = Topic.of("sensor/1/temperature");
        Topic built = Topic.builder().level("sensor").level("1").level("temperature").build();

        assertThat(parsed).isEqualTo(built);
        assertThat(built).isEqualTo(parsed);
        assertThat(parsed.hashCode()).isEqualTo(built.hashCode());
        assertThat(parsed.hashCode()).isEqualTo("sensor/1/temperature".hashCode());
    }

    @Test
    void equals_itself_isTrue() {
        Topic topic = Topic.of("a");

        assertThat(topic).isEqualTo(topic);
    }

    @ParameterizedTest(name = "[{index}] a/b vs {0}")
    @ValueSource(strings = {"a/B", "a/b/", "/a/b", "a//b", "a", "a/b ", "A/b"})
    void equals_differentName_isFalse(String other) {
        assertThat(Topic.of("a/b")).isNotEqualTo(Topic.of(other));
    }

    @Test
    void equals_otherTypes_isFalse() {
        Topic topic = Topic.of("a/b");

        assertThat(topic.equals(null)).isFalse();
        assertThat(topic.equals("a/b")).isFalse();
        assertThat(topic.equals(TopicFilter.of("a/b"))).isFalse();
    }

    @Test
    void toString_always_returnsName() {
        assertThat(Topic.of("$SYS/broker/uptime").toString()).isEqualTo("$SYS/broker/uptime");
    }
}
