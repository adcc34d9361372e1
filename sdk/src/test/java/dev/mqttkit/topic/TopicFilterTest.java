package dev.mqttkit.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.internal.TopicRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    // ------------------------------------------------------------------------------------------------------
    // of
    // ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"#", "+", "+/+", "a/+/b/#", "/", "//", "/#", "+/#", "$SYS/#", "$SYS/monitor/+",
            "sport/tennis/player1", "a b/+", "sensör/+", "😀/#", "$share", "$shared/g/a"})
    void of_validFilter_keepsFilterAndIsNotShared(String filter) {
        TopicFilter parsed = TopicFilter.of(filter);

        assertThat(parsed.toString()).isEqualTo(filter);
        assertThat(parsed.matchFilter()).isEqualTo(filter);
        assertThat(parsed.isShared()).isFalse();
        assertThat(parsed.shareGroup()).isNull();
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                Arguments.of("", "Topic filter [] must not be empty."),
                Arguments.of("a/#/b", "Topic filter [a/#/b] must have '#' only as the last level, found at index 2."),
                Arguments.of("#/a", "Topic filter [#/a] must have '#' only as the last level, found at index 0."),
                Arguments.of("a/b#", "Topic filter [a/b#] must have '#' as a whole level, found at index 3."),
                Arguments.of("a/+b", "Topic filter [a/+b] must have '+' as a whole level, found at index 2."),
                Arguments.of("a+/b", "Topic filter [a+/b] must have '+' as a whole level, found at index 1."),
                Arguments.of("a/\0", "Topic filter [a/\\u0000] must not contain the null character U+0000, found at "
                        + "index 2."),
                Arguments.of("+/\uD83D", "Topic filter [+/\\uD83D] must be valid UTF-8, found an unpaired surrogate at "
                        + "index 2."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidFilters")
    void of_invalidFilter_throwsWithRuleMessage(String filter, String message) {
        assertThatThrownBy(() -> TopicFilter.of(filter))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @Test
    void of_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> TopicFilter.of(null))
                .withMessage("topic filter");
    }

    // ------------------------------------------------------------------------------------------------------
    // builder
    // ------------------------------------------------------------------------------------------------------

    @Test
    void builder_levelAnyLevelLevel_buildsPlusFilter() {
        TopicFilter filter = TopicFilter.builder().level("sensor").anyLevel().level("temperature").build();

        assertThat(filter.toString()).isEqualTo("sensor/+/temperature");
        assertThat(filter).isEqualTo(TopicFilter.of("sensor/+/temperature"));
    }

    @Test
    void builder_anyLevelOnly_buildsPlus() {
        assertThat(TopicFilter.builder().anyLevel().build().toString()).isEqualTo("+");
    }

    @Test
    void builder_allRemainingOnly_buildsHash() {
        assertThat(TopicFilter.builder().allRemaining().build().toString()).isEqualTo("#");
    }

    @Test
    void builder_levelThenAllRemaining_buildsHashLast() {
        assertThat(TopicFilter.builder().level("sensor").allRemaining().build().toString()).isEqualTo("sensor/#");
    }

    @Test
    void builder_anyLevelThenAllRemaining_buildsPlusHash() {
        assertThat(TopicFilter.builder().anyLevel().allRemaining().build().toString()).isEqualTo("+/#");
    }

    @Test
    void builder_emptyLevels_areKept() {
        assertThat(TopicFilter.builder().level("").anyLevel().build().toString()).isEqualTo("/+");
        assertThat(TopicFilter.builder().level("a").level("").allRemaining().build().toString()).isEqualTo("a//#");
    }

    @Test
    void builder_onlyOneEmptyLevel_throwsBecauseFilterWouldBeEmpty() {
        assertThatThrownBy(() -> TopicFilter.builder().level("").build())
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [] must not be empty.");
    }

    @Test
    void builderLevel_afterAllRemaining_throwsIllegalStateException() {
        TopicFilter.Builder builder = TopicFilter.builder().level("a").allRemaining();

        assertThatIllegalStateException()
                .isThrownBy(() -> builder.level("x"))
                .withMessage("TopicFilter.Builder: '#' must be the last level; cannot add [x] after it.");
    }

    @Test
    void builderAnyLevel_afterAllRemaining_throwsIllegalStateException() {
        TopicFilter.Builder builder = TopicFilter.builder().allRemaining();

        assertThatIllegalStateException()
                .isThrownBy(builder::anyLevel)
                .withMessage("TopicFilter.Builder: '#' must be the last level; cannot add [+] after it.");
    }

    @Test
    void builderAllRemaining_twice_throwsIllegalStateException() {
        TopicFilter.Builder builder = TopicFilter.builder().allRemaining();

        assertThatIllegalStateException()
                .isThrownBy(builder::allRemaining)
                .withMessage("TopicFilter.Builder: '#' must be the last level; cannot add [#] after it.");
    }

    @Test
    void builder_afterRejectedLevel_stillBuildsWithoutIt() {
        TopicFilter.Builder builder = TopicFilter.builder().allRemaining();
        assertThatThrownBy(() -> builder.level("x")).isInstanceOf(IllegalStateException.class);

        assertThat(builder.build().toString()).isEqualTo("#");
    }

    static Stream<Arguments> invalidLevels() {
        return Stream.of(
                Arguments.of("a/b", "Topic level [a/b] must not contain '/', found at index 1."),
                Arguments.of("+", "Topic level [+] must not contain '+', found at index 0."),
                Arguments.of("#", "Topic level [#] must not contain '#', found at index 0."),
                Arguments.of("ab#", "Topic level [ab#] must not contain '#', found at index 2."),
                Arguments.of("\0", "Topic level [\\u0000] must not contain the null character U+0000, found at "
                        + "index 0."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidLevels")
    void builderLevel_wildcardOrSeparatorInValue_throwsWithLevelMessage(String level, String message) {
        assertThatThrownBy(() -> TopicFilter.builder().level(level))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @Test
    void builderLevel_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> TopicFilter.builder().level(null))
                .withMessage("level");
    }

    @Test
    void builderBuild_noLevel_throwsIllegalStateException() {
        assertThatIllegalStateException()
                .isThrownBy(() -> TopicFilter.builder().build())
                .withMessage("TopicFilter.Builder has no level: add one with level(...), anyLevel() or "
                        + "allRemaining().");
    }

    // ------------------------------------------------------------------------------------------------------
    // matches
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> matchCases() {
        return Stream.of(
                Arguments.of("sensor/+/temperature", "sensor/1234/temperature", true),
                Arguments.of("sensor/+/temperature", "sensor/1234/humidity", false),
                Arguments.of("sensor/+/temperature", "sensor/temperature", false),
                Arguments.of("sport/#", "sport", true),
                Arguments.of("sport/#", "sport/tennis/player1", true),
                Arguments.of("sport/#", "sports", false),
                Arguments.of("+/+", "/finance", true),
                Arguments.of("+", "/finance", false),
                Arguments.of("#", "a/b/c", true),
                Arguments.of("#", "$SYS/monitor", false),
                Arguments.of("+/monitor", "$SYS/monitor", false),
                Arguments.of("$SYS/#", "$SYS/monitor", true),
                Arguments.of("$SYS/#", "$SYS", true),
                Arguments.of("a/+", "a/$SYS", true),
                Arguments.of("a/b", "a/b", true),
                Arguments.of("a/b", "a/B", false),
                Arguments.of("$share/g/sensor/+", "sensor/1", true),
                Arguments.of("$share/g/sensor/+", "sensor/1/x", false),
                Arguments.of("$share/g/#", "a/b", true),
                Arguments.of("$share/g/#", "$SYS/x", false),
                Arguments.of("$share/g/$SYS/+", "$SYS/x", true));
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} -> {2}")
    @MethodSource("matchCases")
    void matchesTopic_table_returnsExpected(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.of(filter).matches(Topic.of(topic))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} -> {2}")
    @MethodSource("matchCases")
    void matchesString_table_returnsExpected(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.of(filter).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} -> {2}")
    @MethodSource("dev.mqttkit.internal.TopicRulesTest#matchCases")
    void matchesTopic_specTable_agreesWithTopicRules(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.of(filter).matches(Topic.of(topic))).isEqualTo(expected);
    }

    @Test
    void matchesString_sharedFilterText_isNotMatchedLiterally() {
        // a message is never published to "$share/..."; the filter matches as its inner filter
        assertThat(TopicFilter.of("$share/g/a").matches("$share/g/a")).isFalse();
        assertThat(TopicFilter.of("$share/g/a").matches("a")).isTrue();
    }

    @Test
    void matchesString_wildcardInTopic_throwsInvalidTopic() {
        assertThatThrownBy(() -> TopicFilter.of("a/+").matches("a/+"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [a/+] must not contain the wildcard '+', found at index 2; wildcards are only "
                        + "allowed in topic filters.");
    }

    @Test
    void matchesString_emptyTopic_throwsInvalidTopic() {
        assertThatThrownBy(() -> TopicFilter.of("#").matches(""))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [] must not be empty.");
    }

    @Test
    void matchesString_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> TopicFilter.of("#").matches((String) null))
                .withMessage("topic");
    }

    // ------------------------------------------------------------------------------------------------------
    // $share/<group>/<filter>
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> sharedFilters() {
        return Stream.of(
                Arguments.of("$share/workers/jobs/#", "workers", "jobs/#"),
                Arguments.of("$share/g/a", "g", "a"),
                Arguments.of("$share/g/+", "g", "+"),
                Arguments.of("$share/g/#", "g", "#"),
                Arguments.of("$share/g/$SYS/#", "g", "$SYS/#"),
                Arguments.of("$share/g//", "g", "/"),
                Arguments.of("$share/g/$share/h/x", "g", "$share/h/x"),
                Arguments.of("$share/group-1 x/a/+/b", "group-1 x", "a/+/b"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("sharedFilters")
    void of_sharedFilter_splitsGroupAndMatchFilter(String filter, String group, String matchFilter) {
        TopicFilter parsed = TopicFilter.of(filter);

        assertThat(parsed.isShared()).isTrue();
        assertThat(parsed.shareGroup()).isEqualTo(group);
        assertThat(parsed.matchFilter()).isEqualTo(matchFilter);
        assertThat(parsed.toString()).isEqualTo(filter);
    }

    @Test
    void of_prefixWithoutSlashOrWithOtherCase_isNotShared() {
        assertThat(TopicFilter.of("$share").isShared()).isFalse();
        assertThat(TopicFilter.of("$SHARE/g/a").isShared()).isFalse();
        assertThat(TopicFilter.of("$shared/g/a").isShared()).isFalse();
        assertThat(TopicFilter.of("a/$share/g/b").isShared()).isFalse();
    }

    static Stream<Arguments> invalidSharedFilters() {
        return Stream.of(
                Arguments.of("$share//a", "Topic filter [$share//a] must name a share group: $share/<group>/<filter>."),
                Arguments.of("$share/", "Topic filter [$share/] must name a share group: $share/<group>/<filter>."),
                Arguments.of("$share//", "Topic filter [$share//] must name a share group: $share/<group>/<filter>."),
                Arguments.of("$share/g", "Topic filter [$share/g] must have a filter after the share group: "
                        + "$share/<group>/<filter>."),
                Arguments.of("$share/g/", "Topic filter [$share/g/] must have a filter after the share group: "
                        + "$share/<group>/<filter>."),
                Arguments.of("$share/+/a", "Share group [+] of topic filter [$share/+/a] must not contain '+', found "
                        + "at index 0."),
                Arguments.of("$share/+", "Share group [+] of topic filter [$share/+] must not contain '+', found "
                        + "at index 0."),
                Arguments.of("$share/#", "Share group [#] of topic filter [$share/#] must not contain '#', found "
                        + "at index 0."),
                Arguments.of("$share/g/a/#/b", "Topic filter [$share/g/a/#/b] must have '#' only as the last level, "
                        + "found at index 11."));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidSharedFilters")
    void of_invalidSharedFilter_throwsWithMessage(String filter, String message) {
        assertThatThrownBy(() -> TopicFilter.of(filter))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "$share/g+x/a | Share group [g+x] of topic filter [$share/g+x/a] must not contain '+', found at index 1.",
        "$share/g#/a  | Share group [g#] of topic filter [$share/g#/a] must not contain '#', found at index 1.",
    })
    void of_wildcardInsideShareGroup_throwsNamingTheGroup(String filter, String message) {
        assertThatThrownBy(() -> TopicFilter.of(filter))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @Test
    void levels_sharedFilter_includesSharePrefix() {
        assertThat(TopicFilter.of("$share/g/a/+").levels()).containsExactly("$share", "g", "a", "+");
    }

    @Test
    void levels_plainFilter_keepsEmptyLevels() {
        assertThat(TopicFilter.of("/+/#").levels()).containsExactly("", "+", "#");
        assertThat(TopicFilter.of("a/").levels()).containsExactly("a", "");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("wildcardCases")
    void hasWildcard_filter_reportsWildcardInMatchFilter(String filter, boolean expected) {
        assertThat(TopicFilter.of(filter).hasWildcard()).isEqualTo(expected);
    }

    static Stream<Arguments> wildcardCases() {
        return Stream.of(
                Arguments.of("a/b", false),
                Arguments.of("a/+", true),
                Arguments.of("#", true),
                Arguments.of("$SYS/broker", false),
                Arguments.of("$share/g/a", false),
                Arguments.of("$share/g/a/#", true));
    }

    // ------------------------------------------------------------------------------------------------------
    // equals, hashCode
    // ------------------------------------------------------------------------------------------------------

    @Test
    void equals_sameText_isEqualWithSameHashCode() {
        TopicFilter parsed = TopicFilter.of("a/+/#");
        TopicFilter built = TopicFilter.builder().level("a").anyLevel().allRemaining().build();

        assertThat(parsed).isEqualTo(built);
        assertThat(parsed.hashCode()).isEqualTo(built.hashCode());
    }

    @Test
    void equals_differentTextOrType_isFalse() {
        TopicFilter filter = TopicFilter.of("a/b");

        assertThat(filter).isNotEqualTo(TopicFilter.of("a/+"));
        assertThat(filter).isNotEqualTo(TopicFilter.of("$share/g/a/b"));
        assertThat(filter.equals(Topic.of("a/b"))).isFalse();
        assertThat(filter.equals("a/b")).isFalse();
        assertThat(filter.equals(null)).isFalse();
    }

    // ------------------------------------------------------------------------------------------------------
    // covers: every topic matching B also matches A
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> coverCases() {
        return Stream.of(
                covers("sensor/#", "sensor/+/temperature", true),
                covers("sensor/+/temperature", "sensor/#", false),
                covers("sensor/+/temperature", "sensor/1/temperature", true),
                covers("sensor/1/temperature", "sensor/+/temperature", false),
                covers("#", "a", true),
                covers("#", "a/b/c", true),
                covers("#", "+", true),
                covers("#", "+/#", true),
                covers("#", "/", true),
                covers("#", "a/$SYS", true),
                covers("#", "$SYS/#", false),
                covers("#", "$SYS", false),
                covers("#", "$SYS/+", false),
                covers("+", "$SYS", false),
                covers("+/#", "$SYS/x", false),
                covers("+/#", "$SYS/#", false),
                covers("+/+", "$/a", false),
                covers("$SYS/#", "$SYS/+", true),
                covers("$SYS/#", "$SYS", true),
                covers("$SYS/#", "$SYS/monitor/Clients", true),
                covers("$SYS/+", "$SYS/#", false),
                covers("$SYS/#", "#", false),
                covers("$SYS/#", "+/monitor", false),
                covers("$sys/#", "$SYS/x", false),
                covers("$SYS/monitor/+", "$SYS/monitor/Clients", true),
                covers("+/+", "a/b", true),
                covers("+/+", "/", true),
                covers("+/+", "a/$SYS", true),
                covers("a/b", "+/+", false),
                covers("a/+", "a/#", false),
                covers("a/#", "a/+", true),
                covers("a/#", "a", true),
                covers("a", "a/#", false),
                covers("a/#", "a/b/c/d", true),
                covers("+", "a/b", false),
                covers("+", "a", true),
                covers("+", "/", false),
                covers("/", "+", false),
                covers("/+", "/", true),
                covers("/", "/+", false),
                covers("+/+", "+", false),
                covers("+", "+/+", false),
                covers("a/+/c", "a/b/+", false),
                covers("a/b/+", "a/+/c", false),
                covers("+/#", "a", true),
                covers("+/#", "a/b/c", true),
                covers("+/#", "+", true),
                covers("+/#", "+/+/+", true),
                covers("a/+/#", "a/b", true),
                covers("a/+/#", "a/+", true),
                covers("a/+/#", "a", false),
                covers("a/+/#", "a/#", false),
                covers("a/#", "a/+/#", true),
                covers("a/b/#", "a/#", false),
                covers("a/+/+", "a/+", false),
                covers("a/+", "a/", true),
                covers("a/+", "a", false),
                covers("a", "a/+", false),
                covers("a/b", "a/b/", false),
                covers("a/b/", "a/b", false),
                covers("a/b", "a/bc", false),
                covers("a/b", "A/b", false),
                covers("a//b", "a/+/b", false),
                covers("a/+/b", "a//b", true),
                covers("sport/tennis/player1/#", "sport/tennis/player1", true),
                covers("sport/tennis/player1/#", "sport/tennis", false),
                covers("$share/g/a/#", "a/b", true),
                covers("a/#", "$share/g/a/+", true),
                covers("$share/g1/#", "$share/g2/x", true),
                covers("#", "$share/g/$SYS/#", false),
                covers("$share/g/a/+", "$share/g/a/#", false));
    }

    private static Arguments covers(String mine, String theirs, boolean expected) {
        return Arguments.of(mine, theirs, expected);
    }

    @ParameterizedTest(name = "[{index}] {0} covers {1} -> {2}")
    @MethodSource("coverCases")
    void covers_table_returnsExpected(String mine, String theirs, boolean expected) {
        assertThat(TopicFilter.of(mine).covers(TopicFilter.of(theirs)))
                .as("[%s] covers [%s]", mine, theirs)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} covers {1} -> {2}")
    @MethodSource({"coverCases", "hashWhoseParentIsNoTopicCases"})
    void covers_tableExpectation_agreesWithTopicSets(String mine, String theirs, boolean expected) {
        // guards the table itself: each expectation is what the matching rules imply over concrete topics
        assertThat(coversByTopicSets(TopicFilter.of(mine).matchFilter(), TopicFilter.of(theirs).matchFilter()))
                .as("[%s] covers [%s] by topic sets", mine, theirs)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"#", "+", "a", "/", "//", "a//b", "a/#", "+/#", "/#", "+/+/+", "a/+/#", "$SYS/#",
            "$SYS/+", "$SYS", "sport/tennis/player1", "$share/g/a/+", "$share/g/#"})
    void covers_itself_returnsTrue(String filter) {
        assertThat(TopicFilter.of(filter).covers(TopicFilter.of(filter))).isTrue();
    }

    /**
     * Pairs where {@code covers} disagrees with MQTT: a topic always has at least one level, so {@code +/#}
     * receives exactly what {@code #} receives (and {@code /+/#}, {@code +/+/#} everything {@code /#} receives),
     * yet {@code covers} answers false.
     */
    static Stream<Arguments> hashWhoseParentIsNoTopicCases() {
        return Stream.of(
                covers("+/#", "#", true),
                covers("/+/#", "/#", true),
                covers("+/+/#", "/#", true));
    }

    @ParameterizedTest(name = "[{index}] {0} covers {1} -> {2}")
    @MethodSource("hashWhoseParentIsNoTopicCases")
    void covers_hashWhoseParentIsNoTopic_returnsTrue(String mine, String theirs, boolean expected) {
        assertThat(TopicFilter.of(mine).covers(TopicFilter.of(theirs))).isEqualTo(expected);
    }

    @Test
    void covers_everyPairOfSmallFilters_agreesWithTopicSets() {
        List<String> filters = smallFilters();
        List<String> disagreements = new ArrayList<>();
        List<String> topics = topics(List.of("a", "b", "$s", ""), 4);

        for (String mine : filters) {
            for (String theirs : filters) {
                boolean expected = coversByTopicSets(mine, theirs, topics);
                if (TopicFilter.of(mine).covers(TopicFilter.of(theirs)) != expected) {
                    disagreements.add(mine + " covers " + theirs + " should be " + expected);
                }
            }
        }

        assertThat(filters).hasSizeGreaterThan(100);
        assertThat(disagreements).isEmpty();
    }

    /** All filters of up to three levels over a, $s, the empty level, + and # (last only). */
    private static List<String> smallFilters() {
        List<String> result = new ArrayList<>();
        addFilters(new ArrayList<>(), result);
        return result;
    }

    private static void addFilters(List<String> levels, List<String> into) {
        if (!levels.isEmpty()) {
            String filter = String.join("/", levels);
            if (!filter.isEmpty()) {
                into.add(filter);
            }
            if (levels.size() == 3 || levels.get(levels.size() - 1).equals("#")) {
                return;
            }
        }
        for (String level : List.of("a", "$s", "", "+", "#")) {
            levels.add(level);
            addFilters(levels, into);
            levels.remove(levels.size() - 1);
        }
    }

    /** Reference for covers: no topic over the filters' literal levels (plus fresh ones) matches B but not A. */
    private static boolean coversByTopicSets(String mine, String theirs) {
        Set<String> alphabet = new LinkedHashSet<>(List.of("x", "$x", ""));
        int depth = 0;
        for (String filter : List.of(mine, theirs)) {
            List<String> levels = Levels.split(filter);
            depth = Math.max(depth, levels.size());
            for (String level : levels) {
                if (!level.equals("+") && !level.equals("#")) {
                    alphabet.add(level);
                }
            }
        }
        return coversByTopicSets(mine, theirs, topics(List.copyOf(alphabet), depth + 1));
    }

    private static boolean coversByTopicSets(String mine, String theirs, List<String> topics) {
        for (String topic : topics) {
            if (TopicRules.matches(theirs, topic) && !TopicRules.matches(mine, topic)) {
                return false;
            }
        }
        return true;
    }

    /** Every valid topic of 1 to maxDepth levels over the given levels. */
    private static List<String> topics(List<String> alphabet, int maxDepth) {
        List<String> result = new ArrayList<>();
        List<String> current = new ArrayList<>(alphabet);
        for (int depth = 1; depth <= maxDepth; depth++) {
            for (String topic : current) {
                if (!topic.isEmpty()) {
                    result.add(topic);
                }
            }
            if (depth == maxDepth) {
                break;
            }
            List<String> next = new ArrayList<>();
            for (String prefix : current) {
                for (String level : alphabet) {
                    next.add(prefix + "/" + level);
                }
            }
            current = next;
        }
        return result;
    }
}
