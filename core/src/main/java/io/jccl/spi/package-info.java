/**
 * Transport service-provider interface: small, non-blocking, polled by the engine thread.
 * Back-pressure is a return value; failures arrive as events naming the peer.
 */
package io.jccl.spi;
