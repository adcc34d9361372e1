package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The wildcard filters that may cover others, in a tree by level: finding the filters that may cover one filter
 * costs a walk down its levels, not a look at every subscribed filter. Only a filter with a wildcard can cover
 * another (a topic name matches one topic: itself), so 10,000 plain filters leave this index empty.
 *
 * <p>It yields candidates, a superset of the covering filters: callers check each with
 * {@link TopicFilter#covers(TopicFilter)}. Not thread-safe: its owner's lock guards it.
 */
final class CoverIndex {

    private static final class Node {
        final Map<String, Node> children = new HashMap<>(4);
        final List<TopicFilter> ends = new ArrayList<>(1);
    }

    private final Node root = new Node();
    private int size;

    /** @param filter a filter with a wildcard, not a shared subscription */
    void add(TopicFilter filter) {
        Node node = root;
        for (String level : levels(filter)) {
            node = node.children.computeIfAbsent(level, key -> new Node());
        }
        node.ends.add(filter);
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Offers every indexed filter that may cover {@code filter}.
     *
     * @param filter the filter to cover
     * @param candidate told each candidate, perhaps more than once
     */
    void candidates(TopicFilter filter, Consumer<TopicFilter> candidate) {
        if (size > 0) {
            visit(root, levels(filter), 0, candidate);
        }
    }

    private static void visit(Node node, String[] levels, int depth, Consumer<TopicFilter> candidate) {
        Node hash = node.children.get("#");
        if (hash != null) {
            hash.ends.forEach(candidate); // '#' here matches this level and all below, and the parent
        }
        if (depth == levels.length) {
            node.ends.forEach(candidate);
            return;
        }
        Node plus = node.children.get("+");
        if (plus != null) {
            visit(plus, levels, depth + 1, candidate); // '+' covers a name or a '+'; '+/#' may cover a '#'
        }
        String level = levels[depth];
        if (!level.equals("+") && !level.equals("#")) {
            Node same = node.children.get(level);
            if (same != null) {
                visit(same, levels, depth + 1, candidate);
            }
        }
    }

    private static String[] levels(TopicFilter filter) {
        return filter.matchFilter().split("/", -1);
    }
}
