/**
 * Implementation of mqttkit: the Paho adapter, topic rules, the dispatcher and the file persistence.
 *
 * <p><strong>Not API.</strong> Everything here may change in any release without notice; do not use it
 * from application code.
 */
package dev.mqttkit.internal;
