/**
 * Payload codecs: {@link dev.mqttkit.codec.PayloadCodec} turns values into payload bytes and back;
 * {@link dev.mqttkit.codec.PayloadCodecs} has the built-ins (bytes, UTF-8 text, numbers as text). JSON codecs
 * live in the {@code mqttkit-json} module.
 */
package dev.mqttkit.codec;
