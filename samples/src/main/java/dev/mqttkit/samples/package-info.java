/**
 * The course's lab exercises, written with mqttkit: one short class per exercise, for students to read and copy.
 *
 * <ul>
 *   <li>{@link dev.mqttkit.samples.publisher.TemperaturePublisher}: publishes readings, like the notebook's
 *       {@code while True: publish(...)} loop;</li>
 *   <li>{@link dev.mqttkit.samples.subscriber.TopicSubscriber}: prints every message, like its
 *       {@code on_message};</li>
 *   <li>{@link dev.mqttkit.samples.led.LedLight} and {@link dev.mqttkit.samples.led.LightSwitch}: exercise 1;</li>
 *   <li>{@link dev.mqttkit.samples.chat.Chat}: exercise 2, the chat that takes turns;</li>
 *   <li>{@link dev.mqttkit.samples.average.AverageTemperature}: the average of two temperatures;</li>
 *   <li>{@link dev.mqttkit.samples.cylinders.CylinderChain}: the three cylinders.</li>
 * </ul>
 *
 * <p>Each class connects with {@code new MyMqtt(clientId, broker, port, notifier)} like the lab's
 * {@code MyMQTT}, or with a {@code MyMqtt.Builder} for credentials, another QoS or another URI. The command line
 * ({@code dev.mqttkit.samples.cli}) only wires options to these classes.
 */
package dev.mqttkit.samples;
