/**
 * Deliberate violations of the layering, one per rule, for {@code ArchitectureTest} to show that each rule fails;
 * test code only, never on the class path of the library.
 */
package dev.mqttkit.architecture.violations;
