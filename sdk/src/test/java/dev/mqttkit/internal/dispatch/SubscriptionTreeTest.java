package dev.mqttkit.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.internal.TopicRules;
import dev.mqttkit.internal.TopicRulesTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SubscriptionTreeTest {

    private static <V> List<V> match(SubscriptionTree<V> tree, String topic) {
        List<V> result = new ArrayList<>();
        tree.match(topic, result);
        return result;
    }

    // ------------------------------------------------------------------------------------------------------
    // (a) the spec table, one filter per tree
    // ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0} vs {1} -> {2}")
    @MethodSource("dev.mqttkit.internal.TopicRulesTest#matchCases")
    void match_singleFilterFromSpecTable_findsItIffExpected(String filter, String topic, boolean expected) {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add(filter, "listener");

        List<String> found = match(tree, topic);

        assertThat(found).as("filter [%s] vs topic [%s]", filter, topic)
                .isEqualTo(expected ? List.of("listener") : List.of());
    }

    // ------------------------------------------------------------------------------------------------------
    // (b) the spec table, all filters in one tree
    // ------------------------------------------------------------------------------------------------------

    @Test
    void match_allSpecFiltersInOneTree_findsExactlyTheMatchingFilters() {
        Set<String> filters = new LinkedHashSet<>();
        Set<String> topics = new LinkedHashSet<>();
        TopicRulesTest.matchCases().forEach(arguments -> {
            filters.add((String) arguments.get()[0]);
            topics.add((String) arguments.get()[1]);
        });
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        filters.forEach(filter -> tree.add(filter, filter));
        Map<String, String> mismatches = new LinkedHashMap<>();

        for (String topic : topics) {
            List<String> expected = new ArrayList<>();
            for (String filter : filters) {
                if (TopicRules.matches(filter, topic)) {
                    expected.add(filter);
                }
            }
            List<String> actual = match(tree, topic);
            Collections.sort(expected);
            Collections.sort(actual);
            if (!actual.equals(expected)) {
                mismatches.put(topic, "expected " + expected + " but found " + actual);
            }
        }

        assertThat(tree.size()).isEqualTo(filters.size());
        assertThat(topics).hasSizeGreaterThan(40);
        assertThat(mismatches).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------
    // (c) overlapping filters and multiple values
    // ------------------------------------------------------------------------------------------------------

    @Test
    void match_overlappingFilters_findsEachOnce() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        for (String filter : List.of("a/#", "a/+", "a/b", "#", "+/b")) {
            tree.add(filter, filter);
        }
        tree.add("a/c", "a/c");
        tree.add("b/#", "b/#");
        tree.add("a/b/+", "a/b/+");

        assertThat(match(tree, "a/b")).containsExactlyInAnyOrder("a/#", "a/+", "a/b", "#", "+/b");
    }

    @Test
    void match_parentLevelOfHash_findsHashFilter() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add("sport/#", "sport/#");
        tree.add("sport/tennis/#", "sport/tennis/#");
        tree.add("sport/+", "sport/+");

        assertThat(match(tree, "sport")).containsExactly("sport/#");
        assertThat(match(tree, "sport/tennis")).containsExactlyInAnyOrder("sport/#", "sport/tennis/#", "sport/+");
        assertThat(match(tree, "sports")).isEmpty();
    }

    @Test
    void match_dollarTopic_skipsLeadingWildcardsOnly() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        for (String filter : List.of("#", "+/monitor", "+/#", "$SYS/#", "$SYS/+", "$SYS/monitor", "a/+")) {
            tree.add(filter, filter);
        }

        assertThat(match(tree, "$SYS/monitor")).containsExactlyInAnyOrder("$SYS/#", "$SYS/+", "$SYS/monitor");
        assertThat(match(tree, "$SYS")).containsExactly("$SYS/#");
        assertThat(match(tree, "a/$SYS")).containsExactlyInAnyOrder("#", "+/#", "a/+");
    }

    @Test
    void match_emptyTree_findsNothing() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();

        assertThat(match(tree, "a/b")).isEmpty();
        assertThat(match(tree, "$SYS")).isEmpty();
        assertThat(tree.size()).isZero();
    }

    @Test
    void match_sameValueUnderTwoMatchingFilters_returnsItOncePerFilter() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        String listener = "listener";
        tree.add("a/+", listener);
        tree.add("a/#", listener);

        assertThat(match(tree, "a/b")).containsExactly(listener, listener);
    }

    @Test
    void add_sameValueTwiceUnderOneFilter_storesItTwice() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        String listener = "listener";
        tree.add("a/b", listener);
        tree.add("a/b", listener);

        assertThat(tree.size()).isEqualTo(2);
        assertThat(match(tree, "a/b")).containsExactly(listener, listener);
    }

    @Test
    void match_intoNonEmptyList_appends() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add("a", "found");
        List<Object> into = new ArrayList<>(List.of("already"));

        tree.match("a", into);

        assertThat(into).containsExactly("already", "found");
    }

    @Test
    void match_emptyLevels_matchLiteralAndPlus() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        for (String filter : List.of("/", "+/+", "/+", "+", "//", "a//b", "a/+/b", "/#")) {
            tree.add(filter, filter);
        }

        assertThat(match(tree, "/")).containsExactlyInAnyOrder("/", "+/+", "/+", "/#");
        assertThat(match(tree, "a//b")).containsExactlyInAnyOrder("a//b", "a/+/b");
        assertThat(match(tree, "//")).containsExactlyInAnyOrder("//", "/#");
    }

    // ------------------------------------------------------------------------------------------------------
    // (d) remove and pruning
    // ------------------------------------------------------------------------------------------------------

    @Test
    void remove_unknownFilter_returnsFalse() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        String listener = "listener";
        tree.add("a/b", listener);

        assertThat(tree.remove("a/c", listener)).isFalse();
        assertThat(tree.remove("a/b/c", listener)).isFalse();
        assertThat(tree.remove("a", listener)).isFalse();
        assertThat(tree.remove("a/+", listener)).isFalse();
        assertThat(tree.remove("a/#", listener)).isFalse();
        assertThat(tree.size()).isEqualTo(1);
        assertThat(match(tree, "a/b")).containsExactly(listener);
    }

    @Test
    void remove_unknownValue_returnsFalse() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add("a/b", "one");

        assertThat(tree.remove("a/b", "two")).isFalse();
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    void remove_equalButNotSameValue_returnsFalse() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        String stored = new String("listener");
        tree.add("a/b", stored);

        assertThat(tree.remove("a/b", new String("listener"))).isFalse();
        assertThat(tree.remove("a/b", stored)).isTrue();
    }

    @Test
    void remove_valueAddedTwice_removesOneOccurrence() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        String listener = "listener";
        tree.add("a/+", listener);
        tree.add("a/+", listener);

        assertThat(tree.remove("a/+", listener)).isTrue();

        assertThat(tree.size()).isEqualTo(1);
        assertThat(match(tree, "a/b")).containsExactly(listener);
        assertThat(tree.remove("a/+", listener)).isTrue();
        assertThat(match(tree, "a/b")).isEmpty();
        assertThat(tree.remove("a/+", listener)).isFalse();
    }

    @Test
    void remove_oneOfSeveralValues_keepsOthersInOrder() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add("x", "1");
        tree.add("x", "2");
        tree.add("x", "3");

        assertThat(tree.remove("x", "2")).isTrue();

        assertThat(match(tree, "x")).containsExactly("1", "3");
    }

    @Test
    void remove_deeperFilter_keepsShorterFilterOnSamePath() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add("a/b", "a/b");
        tree.add("a/b/c", "a/b/c");
        tree.add("a/b/#", "a/b/#");

        assertThat(tree.remove("a/b/c", "a/b/c")).isTrue();
        assertThat(tree.remove("a/b/#", "a/b/#")).isTrue();

        assertThat(match(tree, "a/b")).containsExactly("a/b");
        assertThat(match(tree, "a/b/c")).isEmpty();
    }

    @Test
    void remove_shorterFilter_keepsDeeperFilterOnSamePath() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add("a/b", "a/b");
        tree.add("a/b/c", "a/b/c");

        assertThat(tree.remove("a/b", "a/b")).isTrue();

        assertThat(match(tree, "a/b")).isEmpty();
        assertThat(match(tree, "a/b/c")).containsExactly("a/b/c");
    }

    @Test
    void remove_everything_leavesEmptyTreeThatCanBeReused() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        List<String> filters = List.of("#", "+", "a", "a/b", "a/+", "a/#", "+/b", "+/+/#", "/", "a//b", "$SYS/#",
                "$SYS/+/x", "a/b/c/d");
        filters.forEach(filter -> tree.add(filter, filter));
        List<String> topics = List.of("a", "a/b", "b", "/", "a//b", "$SYS/x/x", "$SYS", "a/b/c/d", "x/y/z");

        for (String filter : filters) {
            assertThat(tree.remove(filter, filter)).as(filter).isTrue();
        }

        assertThat(tree.size()).isZero();
        for (String topic : topics) {
            assertThat(match(tree, topic)).as(topic).isEmpty();
        }
        tree.add("a/+", "again");
        assertThat(match(tree, "a/b")).containsExactly("again");
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    void remove_inReverseOrderOfAdding_prunesToEmpty() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        List<String> filters = List.of("a/b/c/d", "a/b/c", "a/b", "a", "a/+/c/#", "a/+/#", "+/#", "#");
        filters.forEach(filter -> tree.add(filter, filter));

        for (int i = filters.size() - 1; i >= 0; i--) {
            assertThat(tree.remove(filters.get(i), filters.get(i))).isTrue();
            assertThat(tree.size()).isEqualTo(i);
        }

        assertThat(match(tree, "a/b/c/d")).isEmpty();
    }

    @Test
    void size_afterAddsAndRemoves_countsValues() {
        SubscriptionTree<String> tree = new SubscriptionTree<>();
        tree.add("a", "1");
        tree.add("a", "2");
        tree.add("b/#", "3");
        assertThat(tree.size()).isEqualTo(3);

        tree.remove("a", "1");
        tree.remove("nothing", "1");

        assertThat(tree.size()).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------------------
    // (e) concurrent readers while one writer changes the tree
    // ------------------------------------------------------------------------------------------------------

    private static final String[] LEVELS = {"a", "b", "$s", ""};
    private static final String[] FILTER_LEVELS = {"a", "b", "$s", "", "+"};

    private static String randomFilter(Random random) {
        while (true) {
            int depth = 1 + random.nextInt(4);
            StringBuilder filter = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (i > 0) {
                    filter.append('/');
                }
                if (i == depth - 1 && random.nextInt(4) == 0) {
                    filter.append('#');
                } else {
                    filter.append(FILTER_LEVELS[random.nextInt(FILTER_LEVELS.length)]);
                }
            }
            if (filter.length() > 0) {
                return TopicRules.checkTopicFilter(filter.toString());
            }
        }
    }

    private static String randomTopic(Random random) {
        while (true) {
            int depth = 1 + random.nextInt(5);
            StringBuilder topic = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (i > 0) {
                    topic.append('/');
                }
                topic.append(LEVELS[random.nextInt(LEVELS.length)]);
            }
            if (topic.length() > 0) {
                return TopicRules.checkTopicName(topic.toString());
            }
        }
    }

    private record Entry(String filter, Object value) {
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void match_whileWriterAddsAndRemoves_alwaysFindsPermanentFilters() throws Exception {
        SubscriptionTree<Object> tree = new SubscriptionTree<>();
        Map<String, Object> permanent = new LinkedHashMap<>();
        for (String filter : List.of("a/b", "a/#", "+/b", "#", "a/+", "a/b/#", "$s/+", "$s/#", "$s//b")) {
            Object value = "permanent " + filter;
            permanent.put(filter, value);
            tree.add(filter, value);
        }
        Map<String, List<Object>> probes = new LinkedHashMap<>();
        for (String topic : List.of("a/b", "$s/b", "$s//b", "a", "b/b")) {
            List<Object> expected = new ArrayList<>();
            permanent.forEach((filter, value) -> {
                if (TopicRules.matches(filter, topic)) {
                    expected.add(value);
                }
            });
            probes.put(topic, expected);
        }
        assertThat(probes.get("a/b")).hasSize(6);
        assertThat(probes.get("$s//b")).hasSize(2);

        int readers = 2;
        CountDownLatch ready = new CountDownLatch(readers);
        AtomicBoolean writerDone = new AtomicBoolean();
        ExecutorService executor = Executors.newFixedThreadPool(readers + 1);
        try {
            List<Future<Long>> readerResults = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                readerResults.add(executor.submit(() -> {
                    long reads = 0;
                    ready.countDown();
                    // bounded: stops when the writer is done, or after a generous cap
                    for (int i = 0; i < 50_000_000 && !writerDone.get(); i++) {
                        for (Map.Entry<String, List<Object>> probe : probes.entrySet()) {
                            List<Object> found = new ArrayList<>();
                            tree.match(probe.getKey(), found);
                            for (Object value : probe.getValue()) {
                                long count = found.stream().filter(v -> v == value).count();
                                if (count != 1) {
                                    throw new AssertionError("read " + reads + " of [" + probe.getKey() + "] found "
                                            + value + " " + count + " times: " + found);
                                }
                            }
                            reads++;
                        }
                    }
                    return reads;
                }));
            }
            Future<Integer> writer = executor.submit(() -> {
                try {
                    ready.await();
                    Random random = new Random(7);
                    List<Entry> live = new ArrayList<>();
                    for (int i = 0; i < 10_000; i++) {
                        String filter = random.nextInt(10) == 0
                                ? List.copyOf(permanent.keySet()).get(random.nextInt(permanent.size()))
                                : randomFilter(random);
                        Entry entry = new Entry(filter, new Object());
                        tree.add(entry.filter(), entry.value());
                        live.add(entry);
                        while (live.size() > 40 || !live.isEmpty() && random.nextInt(3) == 0) {
                            Entry removed = live.remove(random.nextInt(live.size()));
                            if (!tree.remove(removed.filter(), removed.value())) {
                                throw new AssertionError("could not remove " + removed);
                            }
                        }
                    }
                    for (Entry entry : live) {
                        if (!tree.remove(entry.filter(), entry.value())) {
                            throw new AssertionError("could not remove " + entry);
                        }
                    }
                    return tree.size();
                } finally {
                    writerDone.set(true);
                }
            });

            assertThat(writer.get(20, TimeUnit.SECONDS)).isEqualTo(permanent.size());
            for (Future<Long> reader : readerResults) {
                assertThat(reader.get(20, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        for (Map.Entry<String, List<Object>> probe : probes.entrySet()) {
            assertThat(match(tree, probe.getKey())).containsExactlyInAnyOrderElementsOf(probe.getValue());
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // (f) randomized differential test against TopicRules.matches
    // ------------------------------------------------------------------------------------------------------

    @Test
    void match_randomFiltersAndTopics_equalsBruteForce() {
        Random random = new Random(20_240_601L);
        int count = 2_000;
        String[] filters = new String[count];
        Object[] values = new Object[count];
        SubscriptionTree<Object> tree = new SubscriptionTree<>();
        for (int i = 0; i < count; i++) {
            filters[i] = randomFilter(random);
            values[i] = "value " + i;
            tree.add(filters[i], values[i]);
        }
        String[] topics = new String[count];
        for (int i = 0; i < count; i++) {
            topics[i] = randomTopic(random);
        }

        int matches = assertSameAsBruteForce(tree, filters, values, topics, new boolean[count]);

        assertThat(matches).as("the random data must exercise matching").isGreaterThan(10_000);
        assertThat(tree.size()).isEqualTo(count);

        // remove a random half and compare again
        boolean[] removed = new boolean[count];
        for (int i = 0; i < count; i++) {
            if (random.nextBoolean()) {
                assertThat(tree.remove(filters[i], values[i])).isTrue();
                removed[i] = true;
            }
        }
        assertSameAsBruteForce(tree, filters, values, topics, removed);
    }

    private static int assertSameAsBruteForce(SubscriptionTree<Object> tree, String[] filters, Object[] values,
            String[] topics, boolean[] removed) {
        Map<Object, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < values.length; i++) {
            index.put(values[i], i);
        }
        List<String> mismatches = new ArrayList<>();
        int total = 0;
        for (String topic : topics) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < filters.length; i++) {
                if (!removed[i] && TopicRules.matches(filters[i], topic)) {
                    expected.add(i);
                }
            }
            List<Integer> actual = new ArrayList<>();
            for (Object value : match(tree, topic)) {
                actual.add(index.get(value));
            }
            Collections.sort(actual);
            total += expected.size();
            if (!actual.equals(expected) && mismatches.size() < 10) {
                mismatches.add("[" + topic + "]: expected filters " + filtersOf(expected, filters) + " but found "
                        + filtersOf(actual, filters));
            }
        }
        assertThat(mismatches).isEmpty();
        return total;
    }

    private static List<String> filtersOf(List<Integer> indexes, String[] filters) {
        List<String> result = new ArrayList<>();
        for (Integer i : indexes) {
            result.add(i == null ? "<unknown value>" : filters[i]);
        }
        return result;
    }
}
