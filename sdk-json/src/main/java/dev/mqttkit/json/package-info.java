/**
 * JSON payloads for mqttkit, on Jackson: {@link dev.mqttkit.json.JsonCodecs} makes a
 * {@link dev.mqttkit.codec.PayloadCodec} for a class or generic type. Everything else here is package-private.
 */
package dev.mqttkit.json;
