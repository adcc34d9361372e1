package dev.mqttkit.internal.dispatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A topic tree: values registered under MQTT topic filters, found by topic in time that grows with the topic's
 * depth, not with the number of filters.
 *
 * <p>Each node is one level; a node has literal children, a {@code +} child and a {@code #} child. Matching
 * follows MQTT 3.1.1 §4.7: {@code #} also matches the parent level, {@code +} matches an empty level, and
 * {@code +}/{@code #} in the first level do not match topics starting with {@code $}.
 *
 * <p>Writers ({@link #add}, {@link #remove}) must be serialised by the caller. Readers ({@link #match}) need no
 * lock and may run while writers change the tree: nodes publish their values as immutable arrays.
 *
 * @param <V> the value type
 */
public final class SubscriptionTree<V> {

    private static final Object[] NONE = new Object[0];

    private static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
        volatile Node plus;
        volatile Node hash;
        volatile Object[] values = NONE;

        boolean isEmpty() {
            return values.length == 0 && children.isEmpty() && plus == null && hash == null;
        }
    }

    private final Node root = new Node();
    private int size;

    /**
     * Adds a value under a filter. A value may be added under several filters, and a filter may hold several
     * values; adding the same value twice under one filter stores it twice.
     *
     * @param filter a valid topic filter (without {@code $share/<group>/})
     * @param value the value
     */
    public void add(String filter, V value) {
        Node node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(filter, start);
            String level = filter.substring(start, end);
            node = child(node, level);
            if (end == filter.length()) {
                break;
            }
            start = end + 1;
        }
        Object[] old = node.values;
        Object[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = value;
        node.values = grown;
        size++;
    }

    /**
     * Removes one occurrence of a value (compared with {@code ==}) from a filter, and prunes empty nodes.
     *
     * @param filter the filter it was added under
     * @param value the value
     * @return whether it was found
     */
    public boolean remove(String filter, V value) {
        List<Node> path = new ArrayList<>();
        List<String> levels = new ArrayList<>();
        Node node = root;
        path.add(node);
        int start = 0;
        while (true) {
            int end = levelEnd(filter, start);
            String level = filter.substring(start, end);
            node = existingChild(node, level);
            if (node == null) {
                return false;
            }
            path.add(node);
            levels.add(level);
            if (end == filter.length()) {
                break;
            }
            start = end + 1;
        }
        Object[] old = node.values;
        int index = -1;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == value) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return false;
        }
        Object[] shrunk = new Object[old.length - 1];
        System.arraycopy(old, 0, shrunk, 0, index);
        System.arraycopy(old, index + 1, shrunk, index, old.length - index - 1);
        node.values = shrunk.length == 0 ? NONE : shrunk;
        size--;
        for (int i = path.size() - 1; i > 0 && path.get(i).isEmpty(); i--) {
            detach(path.get(i - 1), levels.get(i - 1));
        }
        return true;
    }

    /**
     * Returns the number of values stored.
     *
     * @return the count over all filters
     */
    public int size() {
        return size;
    }

    /**
     * Finds the values of every filter that matches a topic. A value stored under several matching filters is
     * returned once per filter.
     *
     * @param topic a valid topic name
     * @param into where to add the values
     */
    @SuppressWarnings("unchecked")
    public void match(String topic, List<? super V> into) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        Node start = root;
        if (!dollar) {
            collectHash(start, into);
        }
        walk(start, topic, 0, !dollar, into);
    }

    @SuppressWarnings("unchecked")
    private void walk(Node node, String topic, int start, boolean wildcardsAllowed, List<? super V> into) {
        // node stands before the level that begins at 'start'
        int end = levelEnd(topic, start);
        boolean last = end == topic.length();
        if (!node.children.isEmpty()) {
            Node literal = node.children.get(topic.substring(start, end));
            if (literal != null) {
                arrive(literal, topic, end, last, into);
            }
        }
        Node plus = node.plus;
        if (plus != null && wildcardsAllowed) {
            arrive(plus, topic, end, last, into);
        }
    }

    private void arrive(Node node, String topic, int end, boolean last, List<? super V> into) {
        // '#' under this node matches both deeper topics and this level itself (the parent-level rule)
        collectHash(node, into);
        if (last) {
            addAll(node.values, into);
        } else {
            walk(node, topic, end + 1, true, into);
        }
    }

    private static void collectHash(Node node, List<?> into) {
        Node hash = node.hash;
        if (hash != null) {
            addAll(hash.values, into);
        }
    }

    @SuppressWarnings("unchecked")
    private static void addAll(Object[] values, List<?> into) {
        List<Object> target = (List<Object>) into;
        for (Object value : values) {
            target.add(value);
        }
    }

    private static int levelEnd(String text, int start) {
        int slash = text.indexOf('/', start);
        return slash < 0 ? text.length() : slash;
    }

    private static Node child(Node node, String level) {
        switch (level) {
            case "+": {
                Node plus = node.plus;
                if (plus == null) {
                    plus = new Node();
                    node.plus = plus;
                }
                return plus;
            }
            case "#": {
                Node hash = node.hash;
                if (hash == null) {
                    hash = new Node();
                    node.hash = hash;
                }
                return hash;
            }
            default:
                return node.children.computeIfAbsent(level, ignored -> new Node());
        }
    }

    private static Node existingChild(Node node, String level) {
        switch (level) {
            case "+":
                return node.plus;
            case "#":
                return node.hash;
            default:
                return node.children.get(level);
        }
    }

    private static void detach(Node parent, String level) {
        switch (level) {
            case "+":
                parent.plus = null;
                break;
            case "#":
                parent.hash = null;
                break;
            default:
                parent.children.remove(level);
                break;
        }
    }
}
