/**
 * TCP transport ({@code tcp}) on Netty: one-directional data connections dialled by the sender,
 * a checked handshake, zero-copy sends from the caller's memory and zero-copy receives as slices
 * of Netty's read buffers. Uses only Netty API present in both 4.1 and 4.2.
 */
package io.jccl.transport.tcp;
