/**
 * In-JVM loopback transport ({@code loopback}): ranks are threads of one JVM and messages are
 * handed over as zero-copy views of the sender's memory. For fast tests; JDK only.
 */
package io.jccl.transport.loopback;
