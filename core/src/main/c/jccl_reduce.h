/*
 * Shared by the JNI glue (jccl_reduce.c) and the loops (reduce_loops.c, compiled once per ISA level).
 * The type and op codes must match NativeKernels.java; bump ABI_VERSION there and here when they or
 * the native method signatures change.
 */
#ifndef JCCL_REDUCE_H
#define JCCL_REDUCE_H

#include <stddef.h>

#define ABI_VERSION 4
enum { T_F32 = 0, T_F64 = 1, T_I32 = 2, T_I64 = 3, T_F16 = 4, T_BF16 = 5, T_I8 = 6, T_U8 = 7 };
enum { OP_SUM = 0, OP_PROD = 1, OP_MIN = 2, OP_MAX = 3 };

/* The ISA levels the loops are built for, best first; codes match NativeKernels.ISAS. */
enum { ISA_V4 = 0, ISA_V3 = 1, ISA_BASE = 2, ISA_COUNT = 3 };

#define JCCL_HIDDEN __attribute__((visibility("hidden")))
#define JCCL_LOOP_API(isa)                                                                          \
    JCCL_HIDDEN void jccl_reduce_##isa(int type, int op, char *d, const char *a, const char *b, size_t n, \
                                       int divisor);                                               \
    JCCL_HIDDEN void jccl_divide_##isa(int type, char *d, size_t n, int divisor);
JCCL_LOOP_API(v4)
JCCL_LOOP_API(v3)
JCCL_LOOP_API(base)

#endif
