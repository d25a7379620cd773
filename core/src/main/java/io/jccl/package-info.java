/**
 * The JCCL API a training loop sees: {@link io.jccl.Communicator}, {@link io.jccl.DataType},
 * {@link io.jccl.ReduceOp} and the exceptions.
 */
package io.jccl;
