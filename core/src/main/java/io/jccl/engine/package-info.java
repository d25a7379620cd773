/**
 * The progress engine: executes schedules against a transport, matches inbound messages to steps,
 * reduces in place, enforces deadlines. Internal; the only code that calls the transport.
 */
package io.jccl.engine;
