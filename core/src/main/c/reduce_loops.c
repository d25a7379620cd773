/*
 * JCCL's native reduce loops, reached through JNI (jccl_reduce.c) from io.jccl.reduce.NativeKernels.
 * build.sh compiles this file once per ISA level (-march=x86-64-v4 = AVX-512, x86-64-v3 = AVX2,
 * x86-64 = baseline) with -DJCCL_ISA=v4|v3|base; the glue picks one for the CPU at load time, and the
 * tests run every level the CPU has.
 *
 * Why native: the JIT of JDK 17 does not vectorize a loop over direct buffers, so the Java kernels
 * copy chunks into heap arrays first (see Workspace.java); these loops read and write the off-heap
 * operands in place, vectorized. Results are bit for bit those of the Java kernels (the Java
 * tests run both and compare with a plain reference): integer SUM/PROD wrap, integer division
 * truncates, float MIN/MAX follow Java's Math.min/max (NaN wins, -0.0 < 0.0), 16-bit floats are
 * widened exactly, combined and divided in float, and rounded to nearest even once when stored
 * (NaN keeps its sign and top payload bits and becomes quiet).
 *
 * Operands may start at any byte address (the element types below have alignment 1), and the
 * destination is either the same memory as an operand or disjoint from both. The caller (Java)
 * has checked types, ops, ranges, directness and writability; nothing here can fail.
 *
 * Build: gcc -O3 -fPIC -ffp-contract=off (no fast-math: IEEE results must match Java's).
 */
#include <stdint.h>
#include <string.h>

#include "jccl_reduce.h"

#define JCCL_CAT2(a, b) a##b
#define JCCL_CAT(a, b) JCCL_CAT2(a, b)

typedef float f32u __attribute__((aligned(1), may_alias));
typedef double f64u __attribute__((aligned(1), may_alias));
typedef int32_t i32u __attribute__((aligned(1), may_alias));
typedef int64_t i64u __attribute__((aligned(1), may_alias));
typedef uint16_t u16u __attribute__((aligned(1), may_alias));
typedef int8_t i8u __attribute__((may_alias));
typedef uint8_t u8u __attribute__((may_alias));

static inline uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint64_t d2u(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
/* c ? x : y without a branch (GCC's if-conversion gives up on chains of these in the 16-bit loops). */
static inline uint32_t pick(int c, uint32_t x, uint32_t y) { uint32_t m = 0u - (uint32_t) (c != 0); return (x & m) | (y & ~m); }

/* Java's Math.min/max: a NaN operand wins; between zeros of either sign, -0.0 is the smaller. */
static inline float jminf(float a, float b) {
    uint32_t ua = f2u(a), ub = f2u(b);
    uint32_t r = pick((a == 0.0f) & (b == 0.0f), ua | ub, pick(a <= b, ua, ub));
    return u2f(pick(a != a, ua, r));
}
static inline float jmaxf(float a, float b) {
    uint32_t ua = f2u(a), ub = f2u(b);
    uint32_t r = pick((a == 0.0f) & (b == 0.0f), ua & ub, pick(a >= b, ua, ub));
    return u2f(pick(a != a, ua, r));
}
static inline double jmin(double a, double b) {
    if (a != a) return a;
    if (a == 0.0 && b == 0.0) { uint64_t u = d2u(a) | d2u(b); double r; memcpy(&r, &u, 8); return r; }
    return a <= b ? a : b;
}
static inline double jmax(double a, double b) {
    if (a != a) return a;
    if (a == 0.0 && b == 0.0) { uint64_t u = d2u(a) & d2u(b); double r; memcpy(&r, &u, 8); return r; }
    return a >= b ? a : b;
}

/*
 * IEEE binary16 -> float, exact, without touching float subnormals (no microcode assists). Every
 * candidate is computed and one selected, so that the loops have no branches and vectorize.
 */
static inline float h2f(uint16_t h) {
    uint32_t m = h & 0x7fffu;
    uint32_t e = m >> 10;
    uint32_t sub = f2u((float) m * 0x1p-24f);
    uint32_t special = 0x7f800000u | ((m & 0x3ffu) << 13);
    uint32_t normal = (m << 13) + (112u << 23);
    uint32_t v = pick(e == 0, sub, pick(e == 31, special, normal));
    return u2f(v | ((uint32_t) (h & 0x8000u) << 16));
}

/* float -> binary16, ties to even; the steps of Float16.fromFloat, branch-free like h2f. */
static inline uint16_t f2h(float value) {
    uint32_t raw = f2u(value);
    uint32_t sign = (raw >> 16) & 0x8000u;
    uint32_t abs = raw & 0x7fffffffu;
    /* |value| >= 65536, inf or NaN (smaller values that round up to infinity take the normal path). */
    uint32_t big = pick(abs > 0x7f800000u, 0x7e00u | ((abs >> 13) & 0x3ffu), 0x7c00u);
    /* Below 2^-14: adding 0.5f lines the kept bits up at the bottom of the significand and the FPU's
     * round-to-nearest-even rounds them. */
    uint32_t sub = f2u(u2f(abs) + 0.5f) - 0x3f000000u;
    /* Rebias and add just under half an ulp (plus one if odd): ties to even; a carry bumps the exponent. */
    uint32_t normal = (abs + (uint32_t) (15 - 127) * (1u << 23) + 0xfffu + ((abs >> 13) & 1u)) >> 13;
    uint32_t half = pick(abs >= 0x47800000u, big, pick(abs < 0x38800000u, sub, normal));
    return (uint16_t) (half | sign);
}

static inline float b2f(uint16_t h) { return u2f((uint32_t) h << 16); }

/* float -> bfloat16, ties to even; the same steps as BFloat16.fromFloat. */
static inline uint16_t f2b(float value) {
    uint32_t raw = f2u(value);
    if ((raw & 0x7fffffffu) > 0x7f800000u) return (uint16_t) ((raw >> 16) | 0x40u);
    return (uint16_t) ((raw + 0x7fffu + ((raw >> 16) & 1u)) >> 16);
}

/*
 * One loop per (type, op), twice: out of place (d, a, b disjoint) and in place (d == a). EXPR
 * combines x and y; q is the float divisor where the expression uses it.
 */
/* The portable binary16 loops are unused where F16C replaces them. */
#define UNUSED __attribute__((unused))
#define LOOPS(NAME, T, EXPR)                                                                        \
    UNUSED static void NAME##_oop(T *restrict d, const T *restrict a, const T *restrict b,  \
                                  size_t n, float q) {                                             \
        for (size_t i = 0; i < n; i++) { T x = a[i], y = b[i]; d[i] = (EXPR); }                    \
    }                                                                                              \
    UNUSED static void NAME##_ip(T *restrict d, const T *restrict b, size_t n, float q) {   \
        for (size_t i = 0; i < n; i++) { T x = d[i], y = b[i]; d[i] = (EXPR); }                    \
    }

#define UNUSED_Q (void) q

LOOPS(f32_sum, f32u, (UNUSED_Q, x + y))
LOOPS(f32_sumdiv, f32u, (x + y) / q)
LOOPS(f32_prod, f32u, (UNUSED_Q, x * y))
LOOPS(f32_min, f32u, (UNUSED_Q, jminf(x, y)))
LOOPS(f32_max, f32u, (UNUSED_Q, jmaxf(x, y)))
LOOPS(f64_sum, f64u, (UNUSED_Q, x + y))
LOOPS(f64_sumdiv, f64u, (x + y) / (double) q)
LOOPS(f64_prod, f64u, (UNUSED_Q, x * y))
LOOPS(f64_min, f64u, (UNUSED_Q, jmin(x, y)))
LOOPS(f64_max, f64u, (UNUSED_Q, jmax(x, y)))
LOOPS(i32_sum, i32u, (UNUSED_Q, (int32_t) ((uint32_t) x + (uint32_t) y)))
LOOPS(i32_prod, i32u, (UNUSED_Q, (int32_t) ((uint32_t) x * (uint32_t) y)))
LOOPS(i32_min, i32u, (UNUSED_Q, x < y ? x : y))
LOOPS(i32_max, i32u, (UNUSED_Q, x > y ? x : y))
LOOPS(i64_sum, i64u, (UNUSED_Q, (int64_t) ((uint64_t) x + (uint64_t) y)))
LOOPS(i64_prod, i64u, (UNUSED_Q, (int64_t) ((uint64_t) x * (uint64_t) y)))
LOOPS(i64_min, i64u, (UNUSED_Q, x < y ? x : y))
LOOPS(i64_max, i64u, (UNUSED_Q, x > y ? x : y))
/* Bytes: SUM/PROD wrap (computed unsigned, as Java's (byte) cast keeps the low 8 bits); MIN/MAX and
 * division are signed for INT8 and unsigned for UINT8. */
LOOPS(i8_sum, i8u, (UNUSED_Q, (int8_t) (uint8_t) ((uint8_t) x + (uint8_t) y)))
LOOPS(i8_prod, i8u, (UNUSED_Q, (int8_t) (uint8_t) ((uint8_t) x * (uint8_t) y)))
LOOPS(i8_min, i8u, (UNUSED_Q, x < y ? x : y))
LOOPS(i8_max, i8u, (UNUSED_Q, x > y ? x : y))
LOOPS(u8_sum, u8u, (UNUSED_Q, (uint8_t) (x + y)))
LOOPS(u8_prod, u8u, (UNUSED_Q, (uint8_t) (x * y)))
LOOPS(u8_min, u8u, (UNUSED_Q, x < y ? x : y))
LOOPS(u8_max, u8u, (UNUSED_Q, x > y ? x : y))
/* A 16-bit float type's eight loops: each op, without and with the divisor fused before the rounding. */
#define HALF_LOOPS(P, DEC, ENC)                                                                     \
    LOOPS(P##_sum, u16u, (UNUSED_Q, ENC(DEC(x) + DEC(y))))                                         \
    LOOPS(P##_sumdiv, u16u, ENC((DEC(x) + DEC(y)) / q))                                            \
    LOOPS(P##_prod, u16u, (UNUSED_Q, ENC(DEC(x) * DEC(y))))                                        \
    LOOPS(P##_proddiv, u16u, ENC((DEC(x) * DEC(y)) / q))                                           \
    LOOPS(P##_min, u16u, (UNUSED_Q, ENC(jminf(DEC(x), DEC(y)))))                                   \
    LOOPS(P##_mindiv, u16u, ENC(jminf(DEC(x), DEC(y)) / q))                                        \
    LOOPS(P##_max, u16u, (UNUSED_Q, ENC(jmaxf(DEC(x), DEC(y)))))                                   \
    LOOPS(P##_maxdiv, u16u, ENC(jmaxf(DEC(x), DEC(y)) / q))

HALF_LOOPS(f16, h2f, f2h)
HALF_LOOPS(bf16, b2f, f2b)

#ifdef __F16C__
#include <immintrin.h>

/*
 * binary16 with the CPU's own conversions (F16C: x86-64-v3 and up), eight at a time: exact widening,
 * and narrowing with round-to-nearest-even, quiet NaNs keeping their sign and top payload bits,
 * exactly what h2f/f2h compute (the ragged tail uses those). MIN/MAX are Java's, lane by lane.
 */
static inline __m256 h8(const u16u *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) p)); }
static inline void st8(u16u *p, __m256 v) {
    _mm_storeu_si128((__m128i *) p, _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
}
static inline __m256 jmin8(__m256 a, __m256 b) {
    __m256 zero = _mm256_setzero_ps();
    __m256 r = _mm256_blendv_ps(b, a, _mm256_cmp_ps(a, b, _CMP_LE_OQ));
    __m256 zeros = _mm256_and_ps(_mm256_cmp_ps(a, zero, _CMP_EQ_OQ), _mm256_cmp_ps(b, zero, _CMP_EQ_OQ));
    r = _mm256_blendv_ps(r, _mm256_or_ps(a, b), zeros);
    return _mm256_blendv_ps(r, a, _mm256_cmp_ps(a, a, _CMP_UNORD_Q));
}
static inline __m256 jmax8(__m256 a, __m256 b) {
    __m256 zero = _mm256_setzero_ps();
    __m256 r = _mm256_blendv_ps(b, a, _mm256_cmp_ps(a, b, _CMP_GE_OQ));
    __m256 zeros = _mm256_and_ps(_mm256_cmp_ps(a, zero, _CMP_EQ_OQ), _mm256_cmp_ps(b, zero, _CMP_EQ_OQ));
    r = _mm256_blendv_ps(r, _mm256_and_ps(a, b), zeros);
    return _mm256_blendv_ps(r, a, _mm256_cmp_ps(a, a, _CMP_UNORD_Q));
}

/* As LOOPS, for binary16: V combines __m256 x, y (divisor vector qv), S is the scalar tail's expression. */
#define F16C_LOOPS(NAME, V, S)                                                                      \
    static void NAME##_oop(u16u *restrict d, const u16u *restrict a, const u16u *restrict b,       \
                           size_t n, float q) {                                                    \
        __m256 qv = _mm256_set1_ps(q);                                                             \
        (void) qv;                                                                                 \
        size_t i = 0;                                                                              \
        for (; i + 8 <= n; i += 8) { __m256 x = h8(a + i), y = h8(b + i); st8(d + i, (V)); }       \
        for (; i < n; i++) { u16u x = a[i], y = b[i]; d[i] = (S); }                                \
    }                                                                                              \
    static void NAME##_ip(u16u *restrict d, const u16u *restrict b, size_t n, float q) {           \
        __m256 qv = _mm256_set1_ps(q);                                                             \
        (void) qv;                                                                                 \
        size_t i = 0;                                                                              \
        for (; i + 8 <= n; i += 8) { __m256 x = h8(d + i), y = h8(b + i); st8(d + i, (V)); }       \
        for (; i < n; i++) { u16u x = d[i], y = b[i]; d[i] = (S); }                                \
    }

F16C_LOOPS(f16c_sum, _mm256_add_ps(x, y), f2h(h2f(x) + h2f(y)))
F16C_LOOPS(f16c_sumdiv, _mm256_div_ps(_mm256_add_ps(x, y), qv), f2h((h2f(x) + h2f(y)) / q))
F16C_LOOPS(f16c_prod, _mm256_mul_ps(x, y), f2h(h2f(x) * h2f(y)))
F16C_LOOPS(f16c_proddiv, _mm256_div_ps(_mm256_mul_ps(x, y), qv), f2h((h2f(x) * h2f(y)) / q))
F16C_LOOPS(f16c_min, jmin8(x, y), f2h(jminf(h2f(x), h2f(y))))
F16C_LOOPS(f16c_mindiv, _mm256_div_ps(jmin8(x, y), qv), f2h(jminf(h2f(x), h2f(y)) / q))
F16C_LOOPS(f16c_max, jmax8(x, y), f2h(jmaxf(h2f(x), h2f(y))))
F16C_LOOPS(f16c_maxdiv, _mm256_div_ps(jmax8(x, y), qv), f2h(jmaxf(h2f(x), h2f(y)) / q))

static void f16c_div(u16u *restrict d, size_t n, float q) {
    __m256 qv = _mm256_set1_ps(q);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        st8(d + i, _mm256_div_ps(h8(d + i), qv));
    }
    for (; i < n; i++) {
        d[i] = f2h(h2f(d[i]) / q);
    }
}
#define F16 f16c
#else
#define F16 f16
#endif

/* In-place division by the divisor, in the accumulation type (integers truncate toward zero). */
static void f32_div(f32u *restrict d, size_t n, float q) { for (size_t i = 0; i < n; i++) d[i] /= q; }
static void f64_div(f64u *restrict d, size_t n, double q) { for (size_t i = 0; i < n; i++) d[i] /= q; }
/*
 * Integer division, which the CPU cannot do on vectors: bytes and int32 go through a floating-point
 * quotient (float for bytes, double for int32), which vectorizes, and truncate it. That is exact: if
 * x/q is not an integer it lies at least 1/q from one, and the correctly rounded quotient errs by at
 * most |x/q| * 2^-24 (float) or 2^-53 (double), which is under 1/q because |x| < 2^24 resp. 2^53,
 * provided q itself is exact in the floating type (always for double; up to 2^24 for float).
 */
#define FLOAT_EXACT_MAX (1 << 24)
static void i32_div(i32u *restrict d, size_t n, int32_t q) {
    double f = (double) q;
    for (size_t i = 0; i < n; i++) d[i] = (int32_t) ((double) d[i] / f);
}
static void i64_div(i64u *restrict d, size_t n, int64_t q) { for (size_t i = 0; i < n; i++) d[i] /= q; }
/* Bytes, signed or unsigned (CT); a divisor past 2^24 is not exact in float, so it divides one element at a time. */
#define BYTE_DIV(NAME, T, CT)                                                                      \
    static void NAME(T *restrict d, size_t n, int32_t q) {                                        \
        if (q <= FLOAT_EXACT_MAX) {                                                                \
            float f = (float) q;                                                                   \
            for (size_t i = 0; i < n; i++) d[i] = (CT) (int32_t) ((float) d[i] / f);               \
        } else {                                                                                   \
            for (size_t i = 0; i < n; i++) d[i] = (CT) (d[i] / q);                                 \
        }                                                                                          \
    }
BYTE_DIV(i8_div, i8u, int8_t)
BYTE_DIV(u8_div, u8u, uint8_t)
UNUSED static void f16_div(u16u *restrict d, size_t n, float q) { for (size_t i = 0; i < n; i++) d[i] = f2h(h2f(d[i]) / q); }
static void bf16_div(u16u *restrict d, size_t n, float q) { for (size_t i = 0; i < n; i++) d[i] = f2b(b2f(d[i]) / q); }

static void divide(int type, char *d, size_t n, int divisor) {
    switch (type) {
        case T_F32: f32_div((f32u *) d, n, (float) divisor); break;
        case T_F64: f64_div((f64u *) d, n, (double) divisor); break;
        case T_I32: i32_div((i32u *) d, n, divisor); break;
        case T_I64: i64_div((i64u *) d, n, divisor); break;
        case T_I8: i8_div((i8u *) d, n, divisor); break;
        case T_U8: u8_div((u8u *) d, n, divisor); break;
        case T_F16: JCCL_CAT(F16, _div)((u16u *) d, n, (float) divisor); break;
        case T_BF16: bf16_div((u16u *) d, n, (float) divisor); break;
    }
}

/* Picks the in-place or out-of-place loop: every op here is commutative, so d == b runs as d == a. */
#define RUN(NAME, T)                                                                               \
    do {                                                                                           \
        if (d == a) NAME##_ip((T *) d, (const T *) b, n, q);                                       \
        else if (d == b) NAME##_ip((T *) d, (const T *) a, n, q);                                  \
        else NAME##_oop((T *) d, (const T *) a, (const T *) b, n, q);                              \
    } while (0)

/* Half types fuse the divisor into the combining loop (one rounding); the rest divide afterwards. */
#define HALF(P) HALF_(P) /* expands F16 before the names are pasted */
#define HALF_(P)                                                                                   \
    switch (op) {                                                                                  \
        case OP_SUM: if (div) RUN(P##_sumdiv, u16u); else RUN(P##_sum, u16u); break;               \
        case OP_PROD: if (div) RUN(P##_proddiv, u16u); else RUN(P##_prod, u16u); break;            \
        case OP_MIN: if (div) RUN(P##_mindiv, u16u); else RUN(P##_min, u16u); break;               \
        case OP_MAX: if (div) RUN(P##_maxdiv, u16u); else RUN(P##_max, u16u); break;               \
    }                                                                                              \
    return;

/* The four combining loops of a type; a divisor (other than fp32/fp64 AVG's fused one) is applied after. */
#define OPS(P, T)                                                                                  \
    switch (op) {                                                                                  \
        case OP_SUM: RUN(P##_sum, T); break;                                                       \
        case OP_PROD: RUN(P##_prod, T); break;                                                     \
        case OP_MIN: RUN(P##_min, T); break;                                                       \
        case OP_MAX: RUN(P##_max, T); break;                                                       \
    }

static void reduce(int type, int op, char *d, const char *a, const char *b, size_t n, int divisor) {
    int div = divisor > 1;
    float q = (float) divisor;
    switch (type) {
        case T_F32:
            if (op == OP_SUM && div) { RUN(f32_sumdiv, f32u); return; }
            OPS(f32, f32u)
            break;
        case T_F64:
            if (op == OP_SUM && div) { RUN(f64_sumdiv, f64u); return; }
            OPS(f64, f64u)
            break;
        case T_I32: OPS(i32, i32u) break;
        case T_I64: OPS(i64, i64u) break;
        case T_I8: OPS(i8, i8u) break;
        case T_U8: OPS(u8, u8u) break;
        case T_F16: HALF(F16)
        case T_BF16: HALF(bf16)
    }
    if (div) divide(type, d, n, divisor);
}

void JCCL_CAT(jccl_reduce_, JCCL_ISA)(int type, int op, char *d, const char *a, const char *b, size_t n, int divisor) {
    reduce(type, op, d, a, b, n, divisor);
}

void JCCL_CAT(jccl_divide_, JCCL_ISA)(int type, char *d, size_t n, int divisor) {
    divide(type, d, n, divisor);
}
