package dev.mqttkit.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.codec.PayloadCodecs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicTemplateTest {

    private static final TopicTemplate SENSOR = TopicTemplate.of("sensor/{id}/temperature");
    private static final TopicTemplate LOGS = TopicTemplate.of("logs/{app}/{path...}");
    private static final TopicTemplate ROOM = TopicTemplate.of("{building}/{room}/light");
    private static final TopicTemplate SPORT = TopicTemplate.of("sport/{rest...}");

    // ------------------------------------------------------------------------------------------------------
    // of, filter, parameterNames
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("sensor/{id}/temperature", "sensor/+/temperature"),
                Arguments.of("logs/{app}/{path...}", "logs/+/#"),
                Arguments.of("{id}", "+"),
                Arguments.of("{rest...}", "#"),
                Arguments.of("{a}/{b}/{c}", "+/+/+"),
                Arguments.of("a/b", "a/b"),
                Arguments.of("/{x}/", "/+/"),
                Arguments.of("$SYS/{x}/{y...}", "$SYS/+/#"),
                Arguments.of("sport/{rest...}", "sport/#"),
                Arguments.of("sensör/{_id9}", "sensör/+"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("filterCases")
    void filter_template_replacesParametersWithWildcards(String template, String filter) {
        TopicFilter result = TopicTemplate.of(template).filter();

        assertThat(result.toString()).isEqualTo(filter);
        assertThat(result.isShared()).isFalse();
    }

    @Test
    void parameterNames_template_listsNamesInOrder() {
        assertThat(LOGS.parameterNames()).containsExactly("app", "path");
        assertThat(ROOM.parameterNames()).containsExactly("building", "room");
        assertThat(TopicTemplate.of("a/b").parameterNames()).isEmpty();
    }

    @Test
    void parameterNames_result_isUnmodifiable() {
        assertThatThrownBy(() -> SENSOR.parameterNames().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toString_template_returnsTemplateAsWritten() {
        assertThat(LOGS.toString()).isEqualTo("logs/{app}/{path...}");
    }

    @Test
    void equals_sameTemplateText_isEqualWithSameHashCode() {
        assertThat(TopicTemplate.of("sensor/{id}/temperature")).isEqualTo(SENSOR);
        assertThat(TopicTemplate.of("sensor/{id}/temperature").hashCode()).isEqualTo(SENSOR.hashCode());
        assertThat(TopicTemplate.of("sensor/{x}/temperature")).isNotEqualTo(SENSOR);
        assertThat(SENSOR.equals("sensor/{id}/temperature")).isFalse();
        assertThat(SENSOR.equals(null)).isFalse();
    }

    private static final TopicTemplate CYLINDER = TopicTemplate.of("systemcomponent{n}/cylinderOn");

    @Test
    void filter_parameterWithTextAroundIt_isPlusLevel() {
        assertThat(CYLINDER.filter()).hasToString("+/cylinderOn");
        assertThat(TopicTemplate.of("a/sensor-{id}-raw/x").filter()).hasToString("a/+/x");
        assertThat(CYLINDER.parameterNames()).containsExactly("n");
    }

    @Test
    void with_parameterWithTextAroundIt_keepsTheText() {
        assertThat(CYLINDER.with("n", "2")).hasToString("systemcomponent2/cylinderOn");
        assertThat(TopicTemplate.of("a/sensor-{id}-raw").with("id", "7")).hasToString("a/sensor-7-raw");
        assertThat(CYLINDER.with("n", "")).hasToString("systemcomponent/cylinderOn");
    }

    @Test
    void with_parameterWithTextAroundItAndSlashInValue_throws() {
        assertThatThrownBy(() -> CYLINDER.with("n", "1/2")).isInstanceOf(InvalidTopicException.class);
    }

    @Test
    void match_parameterWithTextAroundIt_extractsTheMiddle() {
        assertThat(CYLINDER.match("systemcomponent2/cylinderOn")).contains(Map.of("n", "2"));
        assertThat(CYLINDER.match("systemcomponent/cylinderOn")).contains(Map.of("n", ""));
        assertThat(TopicTemplate.of("a/s{id}s").match("a/s12s")).contains(Map.of("id", "12"));
    }

    @Test
    void match_topicInFilterButNotInTemplate_isEmpty() {
        assertThat(CYLINDER.match("component2/cylinderOn")).isEmpty();
        assertThat(TopicTemplate.of("a/s{id}s").match("a/s")).isEmpty(); // prefix and suffix would overlap
        assertThat(TopicTemplate.of("a/s{id}s").match("a/s1")).isEmpty();
        assertThatThrownBy(() -> CYLINDER.parameters(Topic.of("x/cylinderOn")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Topic [x/cylinderOn] does not match topic template [systemcomponent{n}/cylinderOn] "
                        + "(filter +/cylinderOn).");
    }

    static Stream<Arguments> invalidTemplates() {
        return Stream.of(
                Arguments.of("", "Topic template [] must not be empty."),
                Arguments.of("{a}{b}", "Topic template [{a}{b}] must have at most one parameter per level, found "
                        + "another brace at index 3."),
                Arguments.of("a/x{b}-{c}", "Topic template [a/x{b}-{c}] must have at most one parameter per level, "
                        + "found another brace at index 7."),
                Arguments.of("a/{b", "Topic template [a/{b] has a '{' without '}' at index 2."),
                Arguments.of("a/b}", "Topic template [a/b}] has a '}' without '{' at index 3."),
                Arguments.of("a/}{b}", "Topic template [a/}{b}] has a '}' without '{' at index 2."),
                Arguments.of("a/x{rest...}", "Topic template [a/x{rest...}] must have {rest...} as a whole level, "
                        + "found at index 2."),
                Arguments.of("$x{id}/a", "Topic template [$x{id}/a] must not have a parameter in a first level that "
                        + "starts with '$': its filter would never receive those topics."),
                Arguments.of("a/s{id}+", "Topic template [a/s{id}+] must use {name} parameters, not wildcards, found "
                        + "at index 7."),
                Arguments.of("{rest...}/x", "Topic template [{rest...}/x] must have {rest...} only as the last level, "
                        + "found at index 0."),
                Arguments.of("a/{rest...}/b", "Topic template [a/{rest...}/b] must have {rest...} only as the last "
                        + "level, found at index 2."),
                Arguments.of("{1bad}", "Topic template [{1bad}] has parameter {1bad} at index 0; names must match "
                        + "[A-Za-z_][A-Za-z0-9_]*."),
                Arguments.of("a/{}", "Topic template [a/{}] has parameter {} at index 2; names must match "
                        + "[A-Za-z_][A-Za-z0-9_]*."),
                Arguments.of("x/{a-b}", "Topic template [x/{a-b}] has parameter {a-b} at index 2; names must match "
                        + "[A-Za-z_][A-Za-z0-9_]*."),
                Arguments.of("{...}", "Topic template [{...}] has parameter {} at index 0; names must match "
                        + "[A-Za-z_][A-Za-z0-9_]*."),
                Arguments.of("{id}/{id}", "Topic template [{id}/{id}] has parameter {id} twice."),
                Arguments.of("{id}/x/{id...}", "Topic template [{id}/x/{id...}] has parameter {id} twice."),
                Arguments.of("a/+/b", "Topic template [a/+/b] must use {name} parameters, not wildcards, found at "
                        + "index 2."),
                Arguments.of("sensor/#", "Topic template [sensor/#] must use {name} parameters, not wildcards, found "
                        + "at index 7."),
                Arguments.of("+", "Topic template [+] must use {name} parameters, not wildcards, found at index 0."),
                Arguments.of("$share/g/{id}", "Topic template [$share/g/{id}] must not be a shared subscription; "
                        + "subscribe to $share/<group>/... with a TopicFilter."));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidTemplates")
    void of_invalidTemplate_throwsWithMessage(String template, String message) {
        assertThatThrownBy(() -> TopicTemplate.of(template))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @Test
    void of_null_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> TopicTemplate.of(null))
                .withMessage("template");
    }

    // ------------------------------------------------------------------------------------------------------
    // with, topic(Map)
    // ------------------------------------------------------------------------------------------------------

    @Test
    void with_oneParameter_buildsTopic() {
        assertThat(SENSOR.with("id", "1234")).isEqualTo(Topic.of("sensor/1234/temperature"));
    }

    @Test
    void with_restParameter_spansLevels() {
        assertThat(LOGS.with("app", "door", "path", "garage/d1")).isEqualTo(Topic.of("logs/door/garage/d1"));
    }

    @Test
    void with_restParameterWithEmptyLevels_keepsThem() {
        assertThat(LOGS.with("app", "door", "path", "a//b/")).isEqualTo(Topic.of("logs/door/a//b/"));
    }

    @Test
    void with_pairsInAnyOrder_buildsSameTopic() {
        assertThat(ROOM.with("room", "r2", "building", "b1")).isEqualTo(Topic.of("b1/r2/light"));
        assertThat(ROOM.with("building", "b1", "room", "r2")).isEqualTo(Topic.of("b1/r2/light"));
    }

    @Test
    void with_emptySingleLevelValue_buildsEmptyLevel() {
        assertThat(SENSOR.with("id", "")).isEqualTo(Topic.of("sensor//temperature"));
    }

    @Test
    void with_unicodeAndSpaces_keepsThem() {
        assertThat(SENSOR.with("id", "sensör 😀")).isEqualTo(Topic.of("sensor/sensör 😀/temperature"));
    }

    @Test
    void with_noParametersInTemplate_buildsLiteralTopic() {
        TopicTemplate plain = TopicTemplate.of("a/b");

        assertThat(plain.with()).isEqualTo(Topic.of("a/b"));
        assertThat(plain.topic(Map.of())).isEqualTo(Topic.of("a/b"));
    }

    @Test
    void topic_map_buildsTopic() {
        assertThat(SENSOR.topic(Map.of("id", "1234"))).isEqualTo(Topic.of("sensor/1234/temperature"));
        assertThat(LOGS.topic(Map.of("path", "x/y", "app", "door"))).isEqualTo(Topic.of("logs/door/x/y"));
    }

    @Test
    void topic_missingParameter_throwsNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SENSOR.topic(Map.of()))
                .withMessage("Topic template [sensor/{id}/temperature] needs a value for {id}; given [].");
    }

    @Test
    void with_missingSecondParameter_throwsNamingItAndGivenNames() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ROOM.with("building", "b1"))
                .withMessage("Topic template [{building}/{room}/light] needs a value for {room}; given [building].");
    }

    @Test
    void with_missingRestParameter_throwsNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LOGS.with("app", "door"))
                .withMessage("Topic template [logs/{app}/{path...}] needs a value for {path}; given [app].");
    }

    @Test
    void with_unknownParameter_throwsListingKnownOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SENSOR.with("id", "1", "foo", "2"))
                .withMessage("Topic template [sensor/{id}/temperature] has no parameter {foo}; its parameters are "
                        + "[id].");
    }

    @Test
    void topic_unknownParameter_throwsListingKnownOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LOGS.topic(Map.of("application", "door")))
                .withMessage("Topic template [logs/{app}/{path...}] has no parameter {application}; its parameters "
                        + "are [app, path].");
    }

    @Test
    void with_restNameWithDots_isUnknown() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LOGS.with("app", "a", "path...", "x"))
                .withMessage("Topic template [logs/{app}/{path...}] has no parameter {path...}; its parameters are "
                        + "[app, path].");
    }

    @Test
    void with_nullValue_throwsGotNull() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SENSOR.with("id", null))
                .withMessage("Topic template [sensor/{id}/temperature] needs a value for {id}, got null.");
    }

    @Test
    void topic_nullValueInMap_throwsGotNull() {
        Map<String, String> values = new HashMap<>();
        values.put("app", "door");
        values.put("path", null);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> LOGS.topic(values))
                .withMessage("Topic template [logs/{app}/{path...}] needs a value for {path}, got null.");
    }

    @Test
    void with_oddNumberOfArguments_throws() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SENSOR.with("id"))
                .withMessage("Topic template [sensor/{id}/temperature]: with(...) takes name/value pairs, got 1 "
                        + "arguments.");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ROOM.with("building", "b1", "room"))
                .withMessage("Topic template [{building}/{room}/light]: with(...) takes name/value pairs, got 3 "
                        + "arguments.");
    }

    @Test
    void with_parameterGivenTwice_throws() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SENSOR.with("id", "1", "id", "2"))
                .withMessage("Topic template [sensor/{id}/temperature]: parameter {id} given twice.");
    }

    @Test
    void with_nullName_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> SENSOR.with(null, "1"))
                .withMessage("parameter name");
    }

    @Test
    void topic_nullMap_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> SENSOR.topic(null))
                .withMessage("values");
    }

    static Stream<Arguments> invalidSingleLevelValues() {
        return Stream.of(
                Arguments.of("a/b", "Topic level [a/b] must not contain '/', found at index 1."),
                Arguments.of("/", "Topic level [/] must not contain '/', found at index 0."),
                Arguments.of("+", "Topic level [+] must not contain '+', found at index 0."),
                Arguments.of("12+", "Topic level [12+] must not contain '+', found at index 2."),
                Arguments.of("#", "Topic level [#] must not contain '#', found at index 0."),
                Arguments.of("a\0", "Topic level [a\\u0000] must not contain the null character U+0000, found at "
                        + "index 1."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidSingleLevelValues")
    void with_invalidSingleLevelValue_throwsInvalidTopic(String value, String message) {
        assertThatThrownBy(() -> SENSOR.with("id", value))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    @Test
    void with_slashInSingleLevelBeforeRestParameter_throws() {
        assertThatThrownBy(() -> LOGS.with("app", "door/x", "path", "y"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic level [door/x] must not contain '/', found at index 4.");
    }

    static Stream<Arguments> invalidRestValues() {
        return Stream.of(
                Arguments.of("a/+", "Topic levels [a/+] must not contain '+', found at index 2."),
                Arguments.of("#", "Topic levels [#] must not contain '#', found at index 0."),
                Arguments.of("a/b/#", "Topic levels [a/b/#] must not contain '#', found at index 4."),
                Arguments.of("x/\0", "Topic levels [x/\\u0000] must not contain the null character U+0000, found at "
                        + "index 2."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidRestValues")
    void with_invalidRestValue_throwsInvalidTopic(String value, String message) {
        assertThatThrownBy(() -> LOGS.with("app", "door", "path", value))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage(message);
    }

    // ------------------------------------------------------------------------------------------------------
    // parameters, match
    // ------------------------------------------------------------------------------------------------------

    @Test
    void parameters_matchingTopic_returnsValues() {
        assertThat(SENSOR.parameters(Topic.of("sensor/1234/temperature"))).containsExactly(Map.entry("id", "1234"));
    }

    @Test
    void parameters_restTemplate_returnsValuesInTemplateOrder() {
        assertThat(LOGS.parameters(Topic.of("logs/door/garage/d1")))
                .containsExactly(Map.entry("app", "door"), Map.entry("path", "garage/d1"));
    }

    @Test
    void parameters_result_isUnmodifiable() {
        Map<String, String> values = SENSOR.parameters(Topic.of("sensor/1/temperature"));

        assertThatThrownBy(() -> values.put("id", "2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void match_restParameterAtParentLevel_returnsEmptyRest() {
        // sport/# matches sport itself, so {rest...} is empty
        assertThat(SPORT.match("sport")).contains(Map.of("rest", ""));
    }

    @Test
    void match_restParameterAfterTrailingSlash_returnsEmptyRest() {
        assertThat(SPORT.match("sport/")).contains(Map.of("rest", ""));
    }

    @Test
    void match_restParameterOverSeveralLevels_returnsThem() {
        assertThat(SPORT.match("sport/a/b")).contains(Map.of("rest", "a/b"));
        assertThat(SPORT.match("sport/tennis")).contains(Map.of("rest", "tennis"));
        assertThat(SPORT.match("sport//x/")).contains(Map.of("rest", "/x/"));
    }

    @Test
    void match_restTemplateAtParentLevelAfterParameter_returnsEmptyRest() {
        assertThat(LOGS.match("logs/door")).contains(Map.of("app", "door", "path", ""));
    }

    @Test
    void match_onlyRestParameter_returnsWholeTopic() {
        assertThat(TopicTemplate.of("{all...}").match("a/b/c")).contains(Map.of("all", "a/b/c"));
    }

    @Test
    void match_emptyLevel_returnsEmptyValue() {
        assertThat(SENSOR.match("sensor//temperature")).contains(Map.of("id", ""));
        assertThat(TopicTemplate.of("{a}/{b}").match("/")).contains(Map.of("a", "", "b", ""));
    }

    @Test
    void match_templateWithoutParameters_returnsEmptyMap() {
        assertThat(TopicTemplate.of("a/b").match("a/b")).contains(Map.of());
        assertThat(TopicTemplate.of("a/b").match("a/c")).isEmpty();
    }

    @Test
    void match_dollarTopicAgainstLeadingParameter_isEmpty() {
        // the filter +/x never receives $SYS/x (MQTT 3.1.1 section 4.7.2)
        assertThat(TopicTemplate.of("{a}/x").match("$SYS/x")).isEmpty();
        assertThat(TopicTemplate.of("{rest...}").match("$SYS/x")).isEmpty();
    }

    @Test
    void match_literalDollarLevel_returnsValues() {
        assertThat(TopicTemplate.of("$SYS/{x}").match("$SYS/uptime")).contains(Map.of("x", "uptime"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("nonMatchingTopics")
    void match_nonMatchingTopic_isEmpty(String topic) {
        assertThat(SENSOR.match(topic)).isEmpty();
    }

    static Stream<String> nonMatchingTopics() {
        return Stream.of("sensor/1234/humidity", "sensor/1234", "sensor/1234/temperature/x", "sensor",
                "Sensor/1/temperature", "sensor/1/temperature/", "x/sensor/1/temperature");
    }

    @Test
    void parameters_nonMatchingTopic_throwsNamingTopicTemplateAndFilter() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SENSOR.parameters(Topic.of("sensor/1/humidity")))
                .withMessage("Topic [sensor/1/humidity] does not match topic template [sensor/{id}/temperature] "
                        + "(filter sensor/+/temperature).");
    }

    @Test
    void parameters_tooShortForRestTemplate_throws() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LOGS.parameters(Topic.of("logs")))
                .withMessage("Topic [logs] does not match topic template [logs/{app}/{path...}] (filter logs/+/#).");
    }

    // ------------------------------------------------------------------------------------------------------
    // round trips
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                roundTrip("sensor/{id}/temperature", "sensor/1234/temperature", "id", "1234"),
                roundTrip("{building}/{room}/light", "b1/r2/light", "building", "b1", "room", "r2"),
                roundTrip("logs/{app}/{path...}", "logs/door/garage/d1", "app", "door", "path", "garage/d1"),
                roundTrip("logs/{app}/{path...}", "logs/door/a//b/", "app", "door", "path", "a//b/"),
                roundTrip("logs/{app}/{path...}", "logs/door/x", "app", "door", "path", "x"),
                roundTrip("{a}/{b}/{c}", "/x/", "a", "", "b", "x", "c", ""),
                roundTrip("sport/{rest...}", "sport/tennis/player1", "rest", "tennis/player1"),
                roundTrip("{rest...}", "a/b/c", "rest", "a/b/c"),
                roundTrip("$SYS/{x}/{y...}", "$SYS/broker/clients/connected", "x", "broker", "y", "clients/connected"),
                roundTrip("a/{id}", "a/sensör 😀", "id", "sensör 😀"),
                roundTrip("a/{id}/b/{Other_2}", "a/$x/b/y", "id", "$x", "Other_2", "y"),
                roundTrip("plain/topic", "plain/topic"));
    }

    private static Arguments roundTrip(String template, String topic, String... namesAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Arguments.of(template, topic, values);
    }

    @ParameterizedTest(name = "[{index}] {0} with {2}")
    @MethodSource("roundTrips")
    void parameters_builtTopic_returnsSameValues(String template, String expectedTopic, Map<String, String> values) {
        TopicTemplate parsed = TopicTemplate.of(template);

        Topic topic = parsed.topic(values);

        assertThat(topic).isEqualTo(Topic.of(expectedTopic));
        assertThat(parsed.filter().matches(topic)).isTrue();
        assertThat(parsed.parameters(topic)).isEqualTo(values);
        assertThat(parsed.parameters(topic).keySet()).containsExactlyElementsOf(parsed.parameterNames());
        assertThat(parsed.match(topic.toString())).contains(values);
    }

    @ParameterizedTest(name = "[{index}] {0} with {2}")
    @MethodSource("roundTrips")
    void with_samePairs_buildsSameTopicAsMap(String template, String expectedTopic, Map<String, String> values) {
        List<String> pairs = new ArrayList<>();
        values.forEach((name, value) -> {
            pairs.add(name);
            pairs.add(value);
        });

        assertThat(TopicTemplate.of(template).with(pairs.toArray(String[]::new))).isEqualTo(Topic.of(expectedTopic));
    }

    // ------------------------------------------------------------------------------------------------------
    // TypedTopic
    // ------------------------------------------------------------------------------------------------------

    @Test
    void typed_codec_bindsTemplateAndCodec() {
        PayloadCodec<Double> codec = PayloadCodecs.doubles();

        TypedTopic<Double> typed = SENSOR.typed(codec);

        assertThat(typed.template()).isSameAs(SENSOR);
        assertThat(typed.codec()).isSameAs(codec);
        assertThat(typed.filter()).isEqualTo(TopicFilter.of("sensor/+/temperature"));
        assertThat(typed.toString()).isEqualTo("sensor/{id}/temperature <-> java.lang.Double");
    }

    @Test
    void typedTopicOf_templateText_parsesTemplate() {
        TypedTopic<String> typed = TypedTopic.of("logs/{app}/{path...}", PayloadCodecs.utf8());

        assertThat(typed.template()).isEqualTo(LOGS);
        assertThat(typed.filter().toString()).isEqualTo("logs/+/#");
        assertThat(typed.toString()).isEqualTo("logs/{app}/{path...} <-> java.lang.String");
    }

    @Test
    void typedTopicOf_plainTopic_isTemplateWithoutParameters() {
        TypedTopic<byte[]> typed = TypedTopic.of("robotcell1/raw", PayloadCodecs.bytes());

        assertThat(typed.template().parameterNames()).isEmpty();
        assertThat(typed.filter().toString()).isEqualTo("robotcell1/raw");
        assertThat(typed.toString()).isEqualTo("robotcell1/raw <-> byte[]");
    }

    @Test
    void typedTopicOf_nullCodec_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> TypedTopic.of("a/{b}", null))
                .withMessage("codec");
        assertThatNullPointerException()
                .isThrownBy(() -> SENSOR.typed(null))
                .withMessage("codec");
    }

    @Test
    void typedTopicOf_invalidTemplate_throwsInvalidTopic() {
        assertThatThrownBy(() -> TypedTopic.of("a/+", PayloadCodecs.utf8()))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic template [a/+] must use {name} parameters, not wildcards, found at index 2.");
    }

    @Test
    void with_emptyRest_givesParentTopic() {
        assertThat(SPORT.with("rest", "")).hasToString("sport");
        assertThat(TopicTemplate.of("logs/{app}/{path...}").with("app", "door", "path", "")).hasToString("logs/door");
    }

    @Test
    void with_dollarValueInFirstLevel_throws() {
        assertThatThrownBy(() -> TopicTemplate.of("{id}/x").with("id", "$foo"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic template [{id}/x]: value [$foo] for {id} must not start with '$' in the first level; "
                        + "the template's filter [+/x] would never receive that topic.");
        assertThat(TopicTemplate.of("a/{id}").with("id", "$foo")).hasToString("a/$foo");
    }

    @Test
    void match_invalidTopic_throws() {
        assertThatThrownBy(() -> TopicTemplate.of("sensor/{id}/temperature").match("sensor/+/temperature"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [sensor/+/temperature] must not contain the wildcard '+', found at index 7; "
                        + "wildcards are only allowed in topic filters.");
    }

    @Test
    void of_sharedTemplate_throwsBeforeLookingAtParameters() {
        assertThatThrownBy(() -> TopicTemplate.of("$share/{g}/x"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic template [$share/{g}/x] must not be a shared subscription; subscribe to "
                        + "$share/<group>/... with a TopicFilter.");
    }

    @Test
    void of_nulCharacter_namesTemplate() {
        assertThatThrownBy(() -> TopicTemplate.of("a/\u0000"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic template [a/\\u0000] must not contain the null character U+0000, found at index 2.");
    }

    @Test
    void of_twoWildcardsInLevel_pointsAtFirst() {
        assertThatThrownBy(() -> TopicTemplate.of("a/b+#"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic template [a/b+#] must use {name} parameters, not wildcards, found at index 3.");
    }
}
