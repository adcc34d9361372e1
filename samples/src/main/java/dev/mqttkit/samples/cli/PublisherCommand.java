package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.publisher.TemperaturePublisher;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "publisher", mixinStandardHelpOptions = true,
        description = "Publishes temperature readings (random, 0 to 100) to a topic, like the notebook's loop.")
final class PublisherCommand extends SampleCommand {

    @Mixin
    TopicPrefix prefix;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = TemperaturePublisher.DEFAULT_TOPIC,
            description = "Where to publish (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "Time between two readings: 1s, 500ms, 2.5s (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N readings (default: run until Ctrl-C).")
    long count;

    @Option(names = "--json", description = "Publish {\"sensor\": ..., \"value\": ..., \"time\": ...} instead of "
            + "the number as text.")
    boolean json;

    @Override
    int run(ConnectionOptions.Broker broker) {
        if (count < 0) {
            throw new IllegalArgumentException("--count [" + count + "] must be 0 (no limit) or more.");
        }
        Random random = new Random();
        TemperaturePublisher publisher = new TemperaturePublisher(client(broker, connection.clientId("publisher")),
                prefix.value() + topic, json, () -> random.nextDouble() * 100, this::display);
        try {
            publisher.start();
            inBackground("mqttkit-samples-publisher", () -> {
                publisher.publishEvery(interval, count);
                return 0;
            });
            return awaitEnd();
        } finally {
            publisher.stop();
        }
    }

    /** Reads {@code 1s}, {@code 500ms}, {@code 2.5s}, or a plain number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            try {
                Duration duration;
                if (text.endsWith("ms")) {
                    duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).strip()));
                } else {
                    String seconds = text.endsWith("s") ? text.substring(0, text.length() - 1).strip() : text;
                    duration = Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
                }
                if (!duration.isNegative()) {
                    return duration;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
            throw new TypeConversionException("[" + value + "] is not a time like 1s, 500ms or 2.5s");
        }
    }
}
