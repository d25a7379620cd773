/**
 * TCP transport ({@code tcp}) on Netty: one-directional data connections dialled by the sender,
 * a checked handshake, zero-copy sends from the caller's memory and zero-copy receives as slices
 * of Netty's read buffers. The sockets run on a {@link io.jccl.transport.tcp.DrivenEventLoop} that
 * the caller of a blocking collective drives itself (Netty 4.2 API, used only through
 * {@link io.jccl.transport.tcp.DrivenProgressLoop}); everything else uses Netty API present in both
 * 4.1 and 4.2, and with 4.1 the transport runs on Netty's classic event-loop threads.
 */
package io.jccl.transport.tcp;
