/**
 * Pure index math shared by the algorithms: ring neighbours, tree shapes, floor-style partitions
 * and power-of-two helpers. No schedule types, no state: every method is a function of its
 * arguments, so the shapes can be tested exhaustively for thousands of ranks.
 */
package io.jccl.algorithms.pattern;
