package dev.mqttkit.topic;

import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.internal.TopicRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A topic with named parameters in place of some levels: {@code sensor/{id}/temperature}.
 *
 * <pre>{@code
 * TopicTemplate template = TopicTemplate.of("sensor/{id}/temperature");
 * template.filter();                                   // sensor/+/temperature, to subscribe with
 * template.with("id", "1234");                         // Topic sensor/1234/temperature, to publish to
 * template.parameters(Topic.of("sensor/1234/temperature"));  // {id=1234}
 *
 * TopicTemplate logs = TopicTemplate.of("logs/{app}/{path...}");   // a trailing {name...} is '#'
 * logs.with("app", "door", "path", "garage/d1");       // logs/door/garage/d1
 *
 * TopicTemplate cylinder = TopicTemplate.of("systemcomponent{n}/cylinderOn");  // text around a parameter
 * cylinder.with("n", "2");                             // systemcomponent2/cylinderOn
 * cylinder.match("systemcomponent2/cylinderOn");       // {n=2}; filter() is +/cylinderOn
 * }</pre>
 *
 * <p>Parameter names are Java-like identifiers ({@code [A-Za-z_][A-Za-z0-9_]*}). A level holds at most one
 * parameter, alone ({@code {id}}) or with literal text around it ({@code systemcomponent{n}}, whose filter level is
 * {@code +}: {@link #match(String)} then also checks the text around it). A value must fill exactly one level
 * (no {@code /}, {@code +}, {@code #} or NUL), except for a trailing
 * {@code {name...}}, whose value may span levels; an empty value for it gives the parent topic
 * ({@code logs/door}), and both {@code logs/door} and {@code logs/door/} extract as empty. A value in the
 * first level must not start with {@code $}, since the template's filter could not receive such a topic. Missing or unknown parameters are errors, never the text
 * {@code "null"}. Immutable and thread-safe.
 */
public final class TopicTemplate {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String template;
    private final List<Level> levels;
    private final List<String> parameterNames;
    private final String restParameter;
    private final TopicFilter filter;

    private TopicTemplate(String template, List<Level> levels, List<String> parameterNames, String restParameter,
            TopicFilter filter) {
        this.template = template;
        this.levels = levels;
        this.parameterNames = parameterNames;
        this.restParameter = restParameter;
        this.filter = filter;
    }

    /**
     * Parses a template.
     *
     * @param template levels separated by {@code /}; a level {@code {name}} is a parameter, a last level
     *     {@code {name...}} takes all remaining levels
     * @return the template
     * @throws InvalidTopicException naming the template and the rule it breaks
     */
    public static TopicTemplate of(String template) {
        Objects.requireNonNull(template, "template");
        TopicRules.checkCommon("Topic template", template);
        if (template.startsWith("$share/")) {
            throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                    + "] must not be a shared subscription; subscribe to $share/<group>/... with a TopicFilter.");
        }
        List<String> texts = Levels.split(template);
        List<Level> levels = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        String rest = null;
        List<String> filterLevels = new ArrayList<>();
        int index = 0;
        for (int i = 0; i < texts.size(); i++) {
            Level level = Level.parse(template, texts.get(i), index);
            if (level.name != null) {
                if (level.rest) {
                    if (i != texts.size() - 1) {
                        throw new InvalidTopicException("Topic template [" + TopicRules.quote(template) + "] must have {"
                                + level.name + "...} only as the last level, found at index " + index + ".");
                    }
                    rest = level.name;
                }
                if (i == 0 && level.prefix.startsWith("$")) {
                    throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                            + "] must not have a parameter in a first level that starts with '$': its filter would "
                            + "never receive those topics.");
                }
                if (!names.add(level.name)) {
                    throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                            + "] has parameter {" + level.name + "} twice.");
                }
            }
            levels.add(level);
            filterLevels.add(level.name == null ? level.prefix : level.rest ? "#" : "+");
            index += texts.get(i).length() + 1;
        }
        TopicFilter filter = TopicFilter.of(String.join("/", filterLevels));
        return new TopicTemplate(template, List.copyOf(levels), List.copyOf(names), rest, filter);
    }

    /**
     * One level of a template: literal text ({@code name == null}, the text in {@code prefix}), or a parameter
     * with the literal text around it: {@code {id}}, {@code sensor-{id}}, {@code systemcomponent{n}}, or a whole
     * trailing {@code {path...}}.
     */
    private record Level(String prefix, String name, String suffix, boolean rest) {

        static Level parse(String template, String text, int index) {
            int open = text.indexOf('{');
            int close = text.indexOf('}');
            if (open < 0 && close < 0) {
                checkLiteral(template, text, index);
                return new Level(text, null, "", false);
            }
            if (close < 0) {
                throw new InvalidTopicException("Topic template [" + TopicRules.quote(template) + "] has a '{' without "
                        + "'}' at index " + (index + open) + ".");
            }
            if (open < 0 || close < open) {
                throw new InvalidTopicException("Topic template [" + TopicRules.quote(template) + "] has a '}' without "
                        + "'{' at index " + (index + close) + ".");
            }
            String prefix = text.substring(0, open);
            String suffix = text.substring(close + 1);
            int brace = suffix.indexOf('{');
            int second = brace >= 0 && (suffix.indexOf('}') < 0 || brace < suffix.indexOf('}')) ? brace
                    : suffix.indexOf('}');
            if (second >= 0) {
                throw new InvalidTopicException("Topic template [" + TopicRules.quote(template) + "] must have at most "
                        + "one parameter per level, found another brace at index " + (index + close + 1 + second) + ".");
            }
            checkLiteral(template, prefix, index);
            checkLiteral(template, suffix, index + close + 1);
            String name = text.substring(open + 1, close);
            boolean rest = name.endsWith("...");
            if (rest) {
                name = name.substring(0, name.length() - 3);
                if (!prefix.isEmpty() || !suffix.isEmpty()) {
                    throw new InvalidTopicException("Topic template [" + TopicRules.quote(template) + "] must have {"
                            + name + "...} as a whole level, found at index " + index + ".");
                }
            }
            if (!NAME.matcher(name).matches()) {
                throw new InvalidTopicException("Topic template [" + TopicRules.quote(template) + "] has parameter {"
                        + name + "} at index " + (index + open) + "; names must match [A-Za-z_][A-Za-z0-9_]*.");
            }
            return new Level(prefix, name, suffix, rest);
        }

        private static void checkLiteral(String template, String literal, int index) {
            int wildcard = firstWildcard(literal);
            if (wildcard >= 0) {
                throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                        + "] must use {name} parameters, not wildcards, found at index " + (index + wildcard) + ".");
            }
        }

        /** The parameter's value in a topic level, or {@code null} when the level does not fit. */
        String valueIn(String topicLevel) {
            if (topicLevel.length() < prefix.length() + suffix.length() || !topicLevel.startsWith(prefix)
                    || !topicLevel.endsWith(suffix)) {
                return null;
            }
            return topicLevel.substring(prefix.length(), topicLevel.length() - suffix.length());
        }
    }

    private static int firstWildcard(String level) {
        for (int i = 0; i < level.length(); i++) {
            if (level.charAt(i) == '+' || level.charAt(i) == '#') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the filter that subscribes to every topic of this template: each {@code {name}} becomes
     * {@code +}, a trailing {@code {name...}} becomes {@code #}.
     *
     * @return the filter
     */
    public TopicFilter filter() {
        return filter;
    }

    /**
     * Returns the parameter names, in order.
     *
     * @return the names, unmodifiable
     */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /**
     * Builds a topic from a value for every parameter.
     *
     * @param values one value per parameter name, no more, no less
     * @return the topic
     * @throws IllegalArgumentException when a parameter is missing or unknown
     * @throws InvalidTopicException when a value contains {@code /} (except for {@code {name...}}), {@code +},
     *     {@code #} or NUL
     */
    public Topic topic(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        for (String given : values.keySet()) {
            if (!parameterNames.contains(given)) {
                throw new IllegalArgumentException("Topic template [" + template + "] has no parameter {" + given
                        + "}; its parameters are " + parameterNames + ".");
            }
        }
        StringBuilder topic = new StringBuilder();
        for (int i = 0; i < levels.size(); i++) {
            Level level = levels.get(i);
            if (i > 0) {
                topic.append('/');
            }
            if (level.name() == null) {
                topic.append(level.prefix());
                continue;
            }
            String name = level.name();
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("Topic template [" + template + "] needs a value for {" + name
                        + "}" + (values.containsKey(name) ? ", got null." : "; given " + values.keySet() + "."));
            }
            if (i == 0 && level.prefix().isEmpty() && value.startsWith("$")) {
                throw new InvalidTopicException("Topic template [" + template + "]: value [" + TopicRules.quote(value)
                        + "] for {" + name + "} must not start with '$' in the first level; the template's filter ["
                        + filter + "] would never receive that topic.");
            }
            if (level.rest()) {
                if (value.isEmpty() && i > 0) {
                    // an empty {rest...} is the parent topic, which the template's '#' also matches
                    topic.setLength(topic.length() - 1);
                    continue;
                }
                topic.append(Levels.checkLevels(value));
            } else {
                topic.append(level.prefix()).append(Levels.checkLevel(value)).append(level.suffix());
            }
        }
        return Topic.of(topic.toString());
    }

    /**
     * Builds a topic from name/value pairs: {@code with("id", "1234")} or
     * {@code with("building", "b1", "room", "r2")}.
     *
     * @param namesAndValues alternating parameter names and values
     * @return the topic
     * @throws IllegalArgumentException when the pairs are odd, a parameter is missing, unknown or given twice
     */
    public Topic with(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Topic template [" + template
                    + "]: with(...) takes name/value pairs, got " + namesAndValues.length + " arguments.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = Objects.requireNonNull(namesAndValues[i], "parameter name");
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("Topic template [" + template + "]: parameter {" + name
                        + "} given twice.");
            }
            values.put(name, namesAndValues[i + 1]);
        }
        return topic(values);
    }

    /**
     * Extracts the parameter values from a topic of this template.
     *
     * @param topic a topic that matches {@link #filter()}
     * @return the values by name, in template order, unmodifiable
     * @throws IllegalArgumentException when the topic does not match the template
     */
    public Map<String, String> parameters(Topic topic) {
        return match(topic.toString()).orElseThrow(() -> new IllegalArgumentException("Topic [" + topic
                + "] does not match topic template [" + template + "] (filter " + filter + ")."));
    }

    /**
     * Extracts the parameter values from a topic name, if it matches.
     *
     * @param topic a topic name
     * @return the values by name, or empty when the topic does not match
     * @throws InvalidTopicException when {@code topic} is not a valid topic name
     */
    public Optional<Map<String, String>> match(String topic) {
        if (!TopicRules.matches(filter.toString(), TopicRules.checkTopicName(topic))) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        int start = 0;
        for (int i = 0; i < levels.size(); i++) {
            Level level = levels.get(i);
            if (level.rest()) {
                values.put(restParameter, start > topic.length() ? "" : topic.substring(start));
                break;
            }
            int end = topic.indexOf('/', start);
            if (end < 0) {
                end = topic.length();
            }
            if (level.name() != null) {
                String value = level.valueIn(topic.substring(start, end));
                if (value == null) {
                    return Optional.empty(); // the filter's '+' took it, but the text around the parameter differs
                }
                values.put(level.name(), value);
            }
            start = end + 1;
        }
        return Optional.of(Collections.unmodifiableMap(values));
    }

    /**
     * Binds this template to a payload codec, so publishing and subscribing share one declaration.
     *
     * @param codec encodes and decodes the payload
     * @param <T> the payload type
     * @return the typed topic
     */
    public <T> TypedTopic<T> typed(dev.mqttkit.codec.PayloadCodec<T> codec) {
        return new TypedTopic<>(this, codec);
    }

    /**
     * Returns the template as written.
     *
     * @return for example {@code sensor/{id}/temperature}
     */
    @Override
    public String toString() {
        return template;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicTemplate that && template.equals(that.template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }
}
