/**
 * The monitor: a web page on the broker's traffic, served by the JDK's HTTP server.
 *
 * <p>{@link dev.mqttkit.samples.monitor.Monitor} is the facade. Behind it, one mechanism per class:
 * {@code TopicStore} keeps every topic in bounded memory, {@code MonitorClient} is the MQTT side,
 * {@code MonitorServer} serves the page and its endpoints, {@code EventStream} sends each page its coalesced
 * updates, {@code PublishEndpoint} is the publish form, {@code PayloadView} makes payloads readable. The page
 * itself (HTML, CSS, plain JavaScript) is in this package's {@code page/} resources.
 */
package dev.mqttkit.samples.monitor;
