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
 * }</pre>
 *
 * <p>Parameter names are Java-like identifiers ({@code [A-Za-z_][A-Za-z0-9_]*}); each fills a whole level.
 * A value must fill exactly one level (no {@code /}, {@code +}, {@code #} or NUL), except for a trailing
 * {@code {name...}}, whose value may span levels; an empty value for it gives the parent topic
 * ({@code logs/door}), and both {@code logs/door} and {@code logs/door/} extract as empty. A value in the
 * first level must not start with {@code $}, since the template's filter could not receive such a topic. Missing or unknown parameters are errors, never the text
 * {@code "null"}. Immutable and thread-safe.
 */
public final class TopicTemplate {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String template;
    private final List<String> levels;
    private final List<String> parameterNames;
    private final String restParameter;
    private final TopicFilter filter;

    private TopicTemplate(String template, List<String> levels, List<String> parameterNames, String restParameter,
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
        List<String> levels = Levels.split(template);
        Set<String> names = new LinkedHashSet<>();
        String rest = null;
        List<String> filterLevels = new ArrayList<>();
        int index = 0;
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            int open = level.indexOf('{');
            int close = level.indexOf('}');
            if (open < 0 && close < 0) {
                int wildcard = firstWildcard(level);
                if (wildcard >= 0) {
                    throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                            + "] must use {name} parameters, not wildcards, found at index " + (index + wildcard) + ".");
                }
                filterLevels.add(level);
            } else {
                if (open != 0 || close != level.length() - 1 || level.indexOf('{', 1) >= 0) {
                    throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                            + "] must have each parameter as a whole level, like {id}, found at index "
                            + (index + Math.max(open, 0)) + ".");
                }
                String name = level.substring(1, level.length() - 1);
                boolean isRest = name.endsWith("...");
                if (isRest) {
                    name = name.substring(0, name.length() - 3);
                    if (i != levels.size() - 1) {
                        throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                                + "] must have {" + name + "...} only as the last level, found at index " + index + ".");
                    }
                    rest = name;
                }
                if (!NAME.matcher(name).matches()) {
                    throw new InvalidTopicException("Topic template [" + TopicRules.quote(template) + "] has parameter {"
                            + name + "} at index " + index + "; names must match [A-Za-z_][A-Za-z0-9_]*.");
                }
                if (!names.add(name)) {
                    throw new InvalidTopicException("Topic template [" + TopicRules.quote(template)
                            + "] has parameter {" + name + "} twice.");
                }
                filterLevels.add(isRest ? "#" : "+");
            }
            index += level.length() + 1;
        }
        TopicFilter filter = TopicFilter.of(String.join("/", filterLevels));
        return new TopicTemplate(template, levels, List.copyOf(names), rest, filter);
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
            String level = levels.get(i);
            if (i > 0) {
                topic.append('/');
            }
            if (level.startsWith("{")) {
                String name = level.endsWith("...}") ? level.substring(1, level.length() - 4)
                        : level.substring(1, level.length() - 1);
                String value = values.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("Topic template [" + template + "] needs a value for {" + name
                            + "}" + (values.containsKey(name) ? ", got null." : "; given " + values.keySet() + "."));
                }
                if (i == 0 && value.startsWith("$")) {
                    throw new InvalidTopicException("Topic template [" + template + "]: value [" + TopicRules.quote(value)
                            + "] for {" + name + "} must not start with '$' in the first level; the template's filter ["
                            + filter + "] would never receive that topic.");
                }
                if (name.equals(restParameter) && value.isEmpty() && i > 0) {
                    // an empty {rest...} is the parent topic, which the template's '#' also matches
                    topic.setLength(topic.length() - 1);
                    continue;
                }
                topic.append(name.equals(restParameter) ? Levels.checkLevels(value) : Levels.checkLevel(value));
            } else {
                topic.append(level);
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
            String level = levels.get(i);
            if (restParameter != null && i == levels.size() - 1) {
                values.put(restParameter, start > topic.length() ? "" : topic.substring(start));
                break;
            }
            int end = topic.indexOf('/', start);
            if (end < 0) {
                end = topic.length();
            }
            if (level.startsWith("{")) {
                values.put(level.substring(1, level.length() - 1), topic.substring(start, end));
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
