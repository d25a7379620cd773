/**
 * The transport conformance suite ({@link io.jccl.testkit.transport.TransportConformanceSuite}),
 * which every transport subclasses, and the small harness it runs on: a test
 * {@link io.jccl.spi.TransportContext}, a recording handler that checks the SPI contract on every
 * event, nodes that send the way the engine does (on the transport's loop, re-posting on
 * writability) and a driver the test thread waits on, signalled by events rather than polling.
 */
package io.jccl.testkit.transport;
