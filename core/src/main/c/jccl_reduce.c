/*
 * JNI glue of JCCL's native reduce kernels (see reduce_loops.c): picks the loops of the best ISA
 * level this CPU has when the library loads, and lets the tests switch levels (useIsa0).
 */
#include <jni.h>
#include <stdint.h>

#include "jccl_reduce.h"

typedef void (*reduce_fn)(int, int, char *, const char *, const char *, size_t, int);
typedef void (*divide_fn)(int, char *, size_t, int);

static const reduce_fn REDUCE[ISA_COUNT] = {jccl_reduce_v4, jccl_reduce_v3, jccl_reduce_base};
static const divide_fn DIVIDE[ISA_COUNT] = {jccl_divide_v4, jccl_divide_v3, jccl_divide_base};

static int isa = ISA_BASE;

/* Whether this CPU (and OS) runs the code of ISA level i: x86-64-v4 and v3 as GCC defines them. */
static int cpu_has(int i) {
    __builtin_cpu_init();
    int v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi")
            && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("movbe")
            && __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("popcnt");
    switch (i) {
        case ISA_V4:
            return v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                    && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq")
                    && __builtin_cpu_supports("avx512vl");
        case ISA_V3:
            return v3;
        case ISA_BASE:
            return 1;
        default:
            return 0;
    }
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm; (void) reserved;
    isa = ISA_BASE;
    for (int i = 0; i < ISA_COUNT; i++) {
        if (cpu_has(i)) {
            isa = i;
            break;
        }
    }
    return JNI_VERSION_1_8;
}

JNIEXPORT jint JNICALL Java_io_jccl_reduce_NativeKernels_abiVersion0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return ABI_VERSION;
}

JNIEXPORT jint JNICALL Java_io_jccl_reduce_NativeKernels_isa0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return isa;
}

/* Switches to level i if the CPU has it; returns whether it did. For tests: not thread-safe. */
JNIEXPORT jboolean JNICALL Java_io_jccl_reduce_NativeKernels_useIsa0(JNIEnv *env, jclass cls, jint i) {
    (void) env; (void) cls;
    if (i < 0 || i >= ISA_COUNT || !cpu_has(i)) {
        return JNI_FALSE;
    }
    isa = i;
    return JNI_TRUE;
}

JNIEXPORT jlong JNICALL Java_io_jccl_reduce_NativeKernels_address0(JNIEnv *env, jclass cls, jobject buffer) {
    (void) cls;
    return (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT void JNICALL Java_io_jccl_reduce_NativeKernels_reduce0(JNIEnv *env, jclass cls, jint type, jint op,
        jlong d, jlong a, jlong b, jint count, jint divisor) {
    (void) env; (void) cls;
    REDUCE[isa](type, op, (char *) (intptr_t) d, (const char *) (intptr_t) a, (const char *) (intptr_t) b,
                (size_t) count, divisor);
}

JNIEXPORT void JNICALL Java_io_jccl_reduce_NativeKernels_divide0(JNIEnv *env, jclass cls, jint type, jlong d,
        jint count, jint divisor) {
    (void) env; (void) cls;
    DIVIDE[isa](type, (char *) (intptr_t) d, (size_t) count, divisor);
}
