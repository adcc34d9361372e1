package dev.mqttkit;

import dev.mqttkit.BenchClient.Library;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a library's CPU goes, thread by thread: the CPU and user time each thread of the JVM used during a
 * measurement ({@link ClientComparison}'s CPU rows), summed over the rounds, per message. Threads are grouped by
 * role: their names with the harness's client ids ({@code cmp-sub-0} as {@code sub}) and numbers taken out, so
 * {@code MQTT Rec: cmp-sub-0} (Paho's receiver of the subscriber) and {@code mqttkit-dispatch-cmp-sub-0} are rows
 * of their own. The system time of a thread (CPU minus user) is its system calls: socket reads and writes, and the
 * futex calls of one thread waking another. What no Java thread used (garbage collection, the JVM's own) is the row
 * {@code other}.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String OTHER = "other (GC, JVM)";

    /** Per library: per role, CPU and user nanoseconds; and the messages and process CPU they were measured over. */
    private final Map<Library, Map<String, long[]>> byLibrary = new EnumMap<>(Library.class);
    private final Map<Library, long[]> totals = new EnumMap<>(Library.class);

    /** The CPU and user time of every live thread, by role. */
    static Map<String, long[]> snapshot() {
        Map<String, long[]> roles = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            ThreadInfo info = THREADS.getThreadInfo(id);
            long cpu = THREADS.getThreadCpuTime(id);
            long user = THREADS.getThreadUserTime(id);
            if (info != null && cpu >= 0 && user >= 0) {
                long[] times = roles.computeIfAbsent(role(info.getThreadName()), k -> new long[2]);
                times[0] += cpu;
                times[1] += user;
            }
        }
        return roles;
    }

    /** The current thread's CPU and user time, for a thread that ends before the measurement does. */
    static long[] currentThread() {
        return new long[] {THREADS.getCurrentThreadCpuTime(), THREADS.getCurrentThreadUserTime()};
    }

    static String role(String threadName) {
        return threadName.replaceAll("cmp-(sub|pub)-[0-9]+", "$1").replaceAll("cmp-publisher-[0-9]+", "publisher")
                .replaceAll("[0-9]+", "#");
    }

    /**
     * Adds one measurement.
     *
     * @param library the library measured
     * @param before the snapshot taken before it
     * @param after the snapshot taken after it
     * @param ended the threads that ended within it, with what they used (their role, CPU and user time)
     * @param messages the messages received in it
     * @param processCpu the JVM's CPU time in it, in nanoseconds
     */
    synchronized void add(Library library, Map<String, long[]> before, Map<String, long[]> after,
            Map<String, long[]> ended, long messages, long processCpu) {
        Map<String, long[]> roles = byLibrary.computeIfAbsent(library, k -> new TreeMap<>());
        long threads = 0;
        Map<String, long[]> used = new HashMap<>(ended);
        after.forEach((role, times) -> {
            long[] start = before.getOrDefault(role, new long[2]);
            used.merge(role, new long[] {times[0] - start[0], times[1] - start[1]},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        });
        for (Map.Entry<String, long[]> entry : used.entrySet()) {
            long[] sum = roles.computeIfAbsent(entry.getKey(), k -> new long[2]);
            sum[0] += entry.getValue()[0];
            sum[1] += entry.getValue()[1];
            threads += entry.getValue()[0];
        }
        roles.computeIfAbsent(OTHER, k -> new long[2])[0] += Math.max(0, processCpu - threads);
        long[] total = totals.computeIfAbsent(library, k -> new long[2]);
        total[0] += messages;
        total[1] += processCpu;
    }

    /** One Markdown table per library: each role's CPU, system and user microseconds per message, most first. */
    synchronized String table(String metric) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Library, Map<String, long[]>> entry : byLibrary.entrySet()) {
            long messages = totals.get(entry.getKey())[0];
            out.append(String.format(Locale.ROOT, "%n%s, %s: %.2f us of JVM CPU per message, by thread%n%n",
                    metric, entry.getKey().label, totals.get(entry.getKey())[1] / 1e3 / messages))
                    .append("| thread | CPU us/msg | system us/msg | user us/msg |\n|---|---:|---:|---:|\n");
            entry.getValue().entrySet().stream()
                    .filter(role -> role.getValue()[0] / 1e3 / messages >= 0.05)
                    .sorted(Comparator.comparingLong((Map.Entry<String, long[]> role) -> role.getValue()[0]).reversed())
                    .forEach(role -> {
                        long cpu = role.getValue()[0];
                        boolean split = !role.getKey().equals(OTHER);
                        out.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %s |%n", role.getKey(),
                                cpu / 1e3 / messages,
                                split ? String.format(Locale.ROOT, "%.2f", (cpu - role.getValue()[1]) / 1e3 / messages)
                                        : "",
                                split ? String.format(Locale.ROOT, "%.2f", role.getValue()[1] / 1e3 / messages) : ""));
                    });
        }
        return out.toString();
    }
}
