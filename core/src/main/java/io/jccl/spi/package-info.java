/**
 * Transport service-provider interface: small and non-blocking. A transport delivers its events on
 * one {@link io.jccl.spi.ProgressLoop} thread, where the engine also runs, so received data is
 * consumed where it was read. Back-pressure is a return value; failures arrive as events naming the
 * peer.
 */
package io.jccl.spi;
