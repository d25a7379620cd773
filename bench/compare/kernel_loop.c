/*
 * kernel_loop: the C baseline for JCCL's fp32 SUM reduce kernel (ReduceKernelBenchmark.reduce with
 * dtype=float32, op=sum, inPlace=false): dst[i] = a[i] + b[i] over float arrays, built with
 * gcc -O3 -march=native so the compiler vectorizes it for this CPU.
 *
 * Per size (bytes of each array, as the JMH benchmark's 'bytes' parameter): warm up, then REPS
 * repetitions, each running the kernel enough times to last about MIN_REP_MS; the reported
 * throughput is the median repetition's, in output bytes per second:
 *
 *   gbps = bytes of dst * calls / time / 1e9
 *
 * Usage: kernel_loop [BYTES ...]   (default 65536 1048576 16777216)
 * Prints '#' comment lines and one CSV line per size: bytes,calls_per_rep,reps,time_per_call_us,gbps
 * Exit status is non-zero on a wrong result or a bad argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPS 7
#define MIN_REP_MS 200.0

/* noinline and restrict: one real call per iteration, vectorized without an aliasing check. */
__attribute__((noinline)) static void add_f32(float *restrict dst, const float *restrict a,
                                              const float *restrict b, size_t count) {
    for (size_t i = 0; i < count; i++) {
        dst[i] = a[i] + b[i];
    }
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return (a > b) - (a < b);
}

static float *aligned_floats(size_t count) {
    void *p = NULL;
    if (posix_memalign(&p, 64, count * sizeof(float)) != 0) {
        fprintf(stderr, "kernel_loop: out of memory for %zu floats\n", count);
        exit(3);
    }
    return p;
}

static int run_size(long bytes) {
    size_t count = (size_t) bytes / sizeof(float);
    float *a = aligned_floats(count), *b = aligned_floats(count), *dst = aligned_floats(count);
    for (size_t i = 0; i < count; i++) {
        a[i] = (float) (1 + i % 3);
        b[i] = (float) (1 + (i * 7) % 3);
    }
    memset(dst, 0, count * sizeof(float));

    /* Calibrate: double the calls until one batch takes at least MIN_REP_MS; this also warms up. */
    long calls = 1;
    for (;;) {
        double t0 = now_s();
        for (long c = 0; c < calls; c++) {
            add_f32(dst, a, b, count);
        }
        if ((now_s() - t0) * 1e3 >= MIN_REP_MS) {
            break;
        }
        calls *= 2;
    }
    for (size_t i = 0; i < count; i++) {
        if (dst[i] != (float) (1 + i % 3) + (float) (1 + (i * 7) % 3)) {
            fprintf(stderr, "kernel_loop: wrong result at element %zu of %ld bytes\n", i, bytes);
            return 1;
        }
    }
    double per_call_s[REPS];
    for (int r = 0; r < REPS; r++) {
        double t0 = now_s();
        for (long c = 0; c < calls; c++) {
            add_f32(dst, a, b, count);
        }
        per_call_s[r] = (now_s() - t0) / calls;
    }
    qsort(per_call_s, REPS, sizeof(double), compare_doubles);
    double median_s = per_call_s[REPS / 2];
    printf("%ld,%ld,%d,%.4f,%.3f\n", bytes, calls, REPS, median_s * 1e6, bytes / median_s / 1e9);
    fflush(stdout);
    free(a);
    free(b);
    free(dst);
    return 0;
}

int main(int argc, char **argv) {
    static const long defaults[] = {65536, 1048576, 16777216};
    int nsizes = argc > 1 ? argc - 1 : 3;
    printf("# kernel_loop float32 dst[i] = a[i] + b[i], median of %d reps of >= %.0f ms\n", REPS, MIN_REP_MS);
    printf("# bytes,calls_per_rep,reps,time_per_call_us,gbps\n");
    for (int s = 0; s < nsizes; s++) {
        long bytes = defaults[s % 3];
        if (argc > 1) {
            char *end;
            bytes = strtol(argv[s + 1], &end, 10);
            if (*end != '\0' || bytes < 4 || bytes % 4 != 0) {
                fprintf(stderr, "kernel_loop: bad size '%s' (want bytes, a multiple of 4)\n", argv[s + 1]);
                return 2;
            }
        }
        if (run_size(bytes) != 0) {
            return 1;
        }
    }
    return 0;
}
