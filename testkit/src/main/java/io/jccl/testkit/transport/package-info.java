/**
 * The transport conformance suite ({@link io.jccl.testkit.transport.TransportConformanceSuite}),
 * which every transport subclasses, and the small harness it runs on: a test
 * {@link io.jccl.spi.TransportContext}, a recording handler and a poll-and-park driver.
 */
package io.jccl.testkit.transport;
