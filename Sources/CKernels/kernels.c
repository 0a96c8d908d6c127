#include "CKernels.h"

#include <math.h>
#include <string.h>

/* `a * b + c` stays a multiply and an add, as in Swift: only the explicit fma calls fuse. */
#pragma clang fp contract(off)
/* The helpers below take and return 16-float vectors but are always inlined, so no call ever uses
 * the vector calling convention the compiler warns about. */
#pragma clang diagnostic ignored "-Wpsabi"

/* 16 floats as one value; the compiler maps it to 4 SSE, 2 AVX or 1 AVX-512 register(s). */
typedef float f16 __attribute__((ext_vector_type(16)));
typedef unsigned int u16 __attribute__((ext_vector_type(16)));

#define INLINE static inline __attribute__((always_inline))

INLINE f16 load16(const float *p) {
    f16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

INLINE void store16(f16 v, float *p) { memcpy(p, &v, sizeof v); }

/* c + a * b: rounded once when `fused` (an FMA instruction), else a multiply and an add. Every
 * body takes `fused` as a constant of its code path, so the branch compiles away. */
INLINE f16 madd16(f16 a, f16 b, f16 c, int fused) {
    return fused ? __builtin_elementwise_fma(a, b, c) : a * b + c;
}

INLINE float madd(float a, float b, float c, int fused) {
    return fused ? __builtin_fmaf(a, b, c) : a * b + c;
}

/* The portable path fuses where the baseline instruction set has an FMA (aarch64's NEON). The
 * x86-64 baseline (SSE2) has none, and a software fmaf is about 75 times slower than the
 * instruction, so there the portable path multiplies and adds: on x86 CPUs without AVX2 and FMA
 * the last bits differ from the other paths (and from aarch64), which all give the same bits. */
#if defined(__aarch64__) || defined(__FMA__)
#define PORTABLE_FUSES 1
#else
#define PORTABLE_FUSES 0
#endif

/* The lanes added in order from -0, as Swift's SIMD sum() does. */
INLINE float sum16(f16 v) {
    float r = -0.0f;
    for (int l = 0; l < 16; l++) r += v[l];
    return r;
}

/* ---- The generic bodies. Each is compiled into one function per code path below. ---- */

/* C[6, 16] (+)= A[6, K] B[K, 16]: twelve AVX registers of accumulators while p runs over K. */
INLINE void block6x16(const float *a, long rs, long cs, const float *b, float *cp, long k, long n,
                      int accumulate, int fused) {
    f16 c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
    if (accumulate) {
        c0 = load16(cp);
        c1 = load16(cp + n);
        c2 = load16(cp + 2 * n);
        c3 = load16(cp + 3 * n);
        c4 = load16(cp + 4 * n);
        c5 = load16(cp + 5 * n);
    }
    const float *ap = a, *bp = b;
    for (long p = 0; p < k; p++) {
        f16 bv = load16(bp);
        c0 = madd16((f16)ap[0], bv, c0, fused);
        c1 = madd16((f16)ap[rs], bv, c1, fused);
        c2 = madd16((f16)ap[2 * rs], bv, c2, fused);
        c3 = madd16((f16)ap[3 * rs], bv, c3, fused);
        c4 = madd16((f16)ap[4 * rs], bv, c4, fused);
        c5 = madd16((f16)ap[5 * rs], bv, c5, fused);
        bp += n;
        ap += cs;
    }
    store16(c0, cp);
    store16(c1, cp + n);
    store16(c2, cp + 2 * n);
    store16(c3, cp + 3 * n);
    store16(c4, cp + 4 * n);
    store16(c5, cp + 5 * n);
}

/* C (+)= A B on rows [r0, r1) and columns [j0, j1) of C (row stride n). Row blocks of 6 are outside
 * and column blocks of 16 inside, so the 6 rows of A being read stay in L1. When C is overwritten
 * and the rows are not a multiple of 6, the last block is the last 6 rows, overlapping the one
 * before: the rows computed twice get the same values both times. Leftover rows go one at a time,
 * leftover columns (widths that are not a multiple of 16) one element at a time. */
INLINE void region_body(const float *a, long rs, long cs, const float *b, float *c, long r0,
                        long r1, long j0, long j1, long k, long n, int accumulate, int fused) {
    long end16 = j0 + ((j1 - j0) & ~15L);
    long i = r0;
    while (i + 6 <= r1 || (!accumulate && i < r1 && r1 - r0 >= 6)) {
        if (i > r1 - 6) i = r1 - 6;
        for (long j = j0; j < end16; j += 16)
            block6x16(a + i * rs, rs, cs, b + j, c + i * n + j, k, n, accumulate, fused);
        i += 6;
    }
    for (; i < r1; i++) {
        for (long j = j0; j < end16; j += 16) {
            float *cp = c + i * n + j;
            f16 c0 = accumulate ? load16(cp) : (f16)0;
            const float *ap = a + i * rs, *bp = b + j;
            for (long p = 0; p < k; p++) {
                c0 = madd16((f16)ap[0], load16(bp), c0, fused);
                bp += n;
                ap += cs;
            }
            store16(c0, cp);
        }
    }
    for (i = r0; i < r1; i++) {
        for (long j = end16; j < j1; j++) {
            float s = accumulate ? c[i * n + j] : 0;
            for (long p = 0; p < k; p++) s = madd(a[i * rs + p * cs], b[p * n + j], s, fused);
            c[i * n + j] = s;
        }
    }
}

INLINE void narrow_output_body(const float *a, const float *bT, float *c, long m, long k, int fused) {
    long k16 = k & ~15L;
    for (long i = 0; i < m; i++) {
        const float *row = a + i * k;
        f16 s0 = 0, s1 = 0;
        long p = 0;
        for (; p < k16; p += 16) {
            f16 av = load16(row + p);
            s0 = madd16(av, load16(bT + p), s0, fused);
            s1 = madd16(av, load16(bT + k + p), s1, fused);
        }
        float r0 = sum16(s0), r1 = sum16(s1);
        for (; p < k; p++) {
            r0 += row[p] * bT[p];
            r1 += row[p] * bT[k + p];
        }
        c[2 * i] = r0;
        c[2 * i + 1] = r1;
    }
}

INLINE void narrow_weight_gradient_body(const float *a, const float *d, float *g, long m, long k,
                                        int fused) {
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        f16 g0 = 0, g1 = 0;
        for (long i = 0; i < m; i++) {
            f16 av = load16(a + i * k + p);
            g0 = madd16(av, (f16)d[2 * i], g0, fused);
            g1 = madd16(av, (f16)d[2 * i + 1], g1, fused);
        }
        for (int l = 0; l < 16; l++) {
            g[2 * (p + l)] = g0[l];
            g[2 * (p + l) + 1] = g1[l];
        }
    }
    for (; p < k; p++) {
        float s0 = 0, s1 = 0;
        for (long i = 0; i < m; i++) {
            s0 += a[i * k + p] * d[2 * i];
            s1 += a[i * k + p] * d[2 * i + 1];
        }
        g[2 * p] = s0;
        g[2 * p + 1] = s1;
    }
}

/* e^x, 16 lanes (Cephes-style): x = n ln2 + r with |r| <= ln2/2, a degree-6 polynomial in r,
 * scaled by 2^n through the exponent bits; inputs clamped to [-87.3, 88.3]. n is rounded with the
 * 1.5 * 2^23 trick, which leaves it in the low mantissa bits. About 2 ulp. */
INLINE f16 exp16(f16 x, int fused) {
    const f16 magic = 12582912.0f; /* 1.5 * 2^23 */
    f16 xc = __builtin_elementwise_min(__builtin_elementwise_max(x, (f16)-87.3f), (f16)88.3f);
    f16 shifted = madd16(xc, (f16)1.44269504f, magic, fused);
    f16 n = shifted - magic;
    /* r = x - n ln2, with ln2 in two parts for accuracy. */
    f16 r = madd16(n, (f16)2.1219444e-4f, madd16(n, (f16)-0.693359375f, xc, fused), fused);
    f16 p = madd16((f16)1.98756915e-4f, r, (f16)1.39819995e-3f, fused);
    p = madd16(p, r, (f16)8.3334519e-3f, fused);
    p = madd16(p, r, (f16)4.16657959e-2f, fused);
    p = madd16(p, r, (f16)1.66666655e-1f, fused);
    p = madd16(p, r, (f16)5.0000001e-1f, fused);
    p = madd16(p, r * r, r + 1, fused);
    u16 integer = (u16)shifted - 0x4B400000u;
    u16 scale = (integer + 127u) << 23;
    return p * (f16)scale;
}

INLINE void silu_forward_body(const float *z, float *a, float *s, long count, int fused) {
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        f16 zv = load16(z + i);
        f16 sv = 1 / (1 + exp16(-zv, fused));
        store16(sv, s + i);
        store16(zv * sv, a + i);
    }
    for (; i < count; i++) {
        float sv = 1 / (1 + expf(-z[i]));
        s[i] = sv;
        a[i] = z[i] * sv;
    }
}

INLINE void silu_backward_body(const float *da, const float *z, const float *s, float *dz,
                               long count) {
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        f16 sv = load16(s + i), zv = load16(z + i);
        store16(load16(da + i) * sv * (1 + zv * (1 - sv)), dz + i);
    }
    for (; i < count; i++) dz[i] = da[i] * s[i] * (1 + z[i] * (1 - s[i]));
}

/* rows[r, c] += bias[c] for r < count_rows, c < columns: 16 columns at a time, the rest one by one. */
INLINE void add_bias_body(float *rows, const float *bias, long count_rows, long columns) {
    long c16 = columns & ~15L;
    for (long r = 0; r < count_rows; r++) {
        float *row = rows + r * columns;
        long c = 0;
        for (; c < c16; c += 16) store16(load16(row + c) + load16(bias + c), row + c);
        for (; c < columns; c++) row[c] += bias[c];
    }
}

/* out[c] = the sum over r < count_rows of a[r, c], added in the order of r from +0. */
INLINE void column_sums_body(const float *a, long count_rows, long columns, float *out) {
    long c = 0;
    for (; c + 16 <= columns; c += 16) {
        f16 sum = 0;
        for (long r = 0; r < count_rows; r++) sum += load16(a + r * columns + c);
        store16(sum, out + c);
    }
    for (; c < columns; c++) {
        float sum = 0;
        for (long r = 0; r < count_rows; r++) sum += a[r * columns + c];
        out[c] = sum;
    }
}

/* z[r, c] += bias[c], then a = z sigma(z) and s = sigma(z), over count_rows rows of `columns`: the
 * bias add and silu_forward_body in one pass when the rows are whole vectors (columns a multiple
 * of 16), else the two one after the other; the same bits either way. */
INLINE void bias_silu_forward_body(float *z, const float *bias, float *a, float *s, long count_rows,
                                   long columns, int fused) {
    if (columns % 16 != 0) {
        add_bias_body(z, bias, count_rows, columns);
        silu_forward_body(z, a, s, count_rows * columns, fused);
        return;
    }
    for (long r = 0; r < count_rows; r++) {
        for (long c = 0; c < columns; c += 16) {
            long i = r * columns + c;
            f16 zv = load16(z + i) + load16(bias + c);
            f16 sv = 1 / (1 + exp16(-zv, fused));
            store16(zv, z + i);
            store16(sv, s + i);
            store16(zv * sv, a + i);
        }
    }
}

/* silu_backward_body over count_rows rows of `columns`, and sums[c] = the sum over the rows of
 * dz[r, c] in the order of r from +0 (the bias gradient, as column_sums_body adds it). */
INLINE void silu_backward_sums_body(const float *da, const float *z, const float *s, float *dz,
                                    long count_rows, long columns, float *sums) {
    long c = 0;
    for (; c + 16 <= columns; c += 16) {
        f16 sum = 0;
        for (long r = 0; r < count_rows; r++) {
            long i = r * columns + c;
            f16 sv = load16(s + i), zv = load16(z + i);
            f16 g = load16(da + i) * sv * (1 + zv * (1 - sv));
            store16(g, dz + i);
            sum += g;
        }
        store16(sum, sums + c);
    }
    for (; c < columns; c++) {
        float sum = 0;
        for (long r = 0; r < count_rows; r++) {
            long i = r * columns + c;
            float g = da[i] * s[i] * (1 + z[i] * (1 - s[i]));
            dz[i] = g;
            sum += g;
        }
        sums[c] = sum;
    }
}

/* Adam (see Adam.swift): m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
 * p <- p - lr m / (sqrt(v / c2) + eps), with lr already divided by c1 and inv_c2 = 1 / c2. */
INLINE void adam_body(float *p, const float *g, float *m, float *v, long count, float b1, float b2,
                      float eps, float lr, float inv_c2) {
    const float ob1 = 1 - b1, ob2 = 1 - b2;
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        f16 gi = load16(g + i);
        f16 mi = b1 * load16(m + i) + ob1 * gi;
        f16 vi = b2 * load16(v + i) + ob2 * gi * gi;
        store16(mi, m + i);
        store16(vi, v + i);
        store16(load16(p + i) - lr * mi / (__builtin_elementwise_sqrt(vi * inv_c2) + eps), p + i);
    }
    for (; i < count; i++) {
        float gi = g[i];
        m[i] = b1 * m[i] + ob1 * gi;
        v[i] = b2 * v[i] + ob2 * gi * gi;
        p[i] -= lr * m[i] / (sqrtf(v[i] * inv_c2) + eps);
    }
}

/* e <- decay e + (1 - decay) p. */
INLINE void ema_body(float *e, const float *p, long count, float decay) {
    const float rest = 1 - decay;
    for (long i = 0; i < count; i++) e[i] = decay * e[i] + rest * p[i];
}

/* 8 floats; declared here for the transpose, and used by the sinusoidal features below. */
typedef float f8 __attribute__((ext_vector_type(8)));

/* One 8 x 8 tile: dst[j * dst_stride + i] = src[i * src_stride + j], i, j < 8, in registers: pairs
 * of rows interleaved, then pairs of pairs, then the 4-float halves swapped. */
INLINE void transpose8x8(const float *src, long src_stride, float *dst, long dst_stride) {
    f8 r[8], t[8], u[8];
    for (int i = 0; i < 8; i++) memcpy(&r[i], src + i * src_stride, sizeof(f8));
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int i = 0; i < 4; i++) {
        f8 low = __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        f8 high = __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
        memcpy(dst + i * dst_stride, &low, sizeof(f8));
        memcpy(dst + (i + 4) * dst_stride, &high, sizeof(f8));
    }
}

/* dst[n, m] = src[m, n] transposed: 8 x 8 tiles in registers, the edges one element at a time. */
INLINE void transpose_body(const float *src, float *dst, long m, long n) {
    long m8 = m & ~7L, n8 = n & ~7L;
    for (long i = 0; i < m8; i += 8)
        for (long j = 0; j < n8; j += 8) transpose8x8(src + i * n + j, n, dst + j * m + i, m);
    for (long i = 0; i < m; i++)
        for (long j = i < m8 ? n8 : 0; j < n; j++) dst[j * m + i] = src[i * n + j];
}

/* The exact velocity of a finite data set (docs/architecture.md, "The ground truth") at `rows` points and one time t:
 * w_j = softmax_j(-|x - t y_j|^2 / (2 s^2)), v = (sum_j w_j y_j - x) / s with s = max(1 - t, floor).
 * The data points are given as columns yx[m], yy[m]; 16 of them per vector, the rest one by one.
 * A first pass finds the smallest squared distance so that every exponent is <= 0. */
INLINE void exact_velocity_body(const float *x, long rows, float t, float s, const float *yx,
                                const float *yy, long m, float *out, int fused) {
    long m16 = m & ~15L;
    float inverse = 1 / (2 * s * s);
    for (long r = 0; r < rows; r++) {
        float px = x[2 * r], py = x[2 * r + 1];
        f16 best16 = INFINITY;
        for (long j = 0; j < m16; j += 16) {
            f16 dx = (f16)px - (f16)t * load16(yx + j), dy = (f16)py - (f16)t * load16(yy + j);
            best16 = __builtin_elementwise_min(best16, dx * dx + dy * dy);
        }
        float best = INFINITY;
        for (int l = 0; l < 16; l++) best = fminf(best, best16[l]);
        for (long j = m16; j < m; j++) {
            float dx = px - t * yx[j], dy = py - t * yy[j];
            best = fminf(best, dx * dx + dy * dy);
        }
        f16 w16 = 0, mx16 = 0, my16 = 0;
        for (long j = 0; j < m16; j += 16) {
            f16 ax = load16(yx + j), ay = load16(yy + j);
            f16 dx = (f16)px - (f16)t * ax, dy = (f16)py - (f16)t * ay;
            f16 w = exp16(((f16)best - (dx * dx + dy * dy)) * (f16)inverse, fused);
            w16 += w;
            mx16 += w * ax;
            my16 += w * ay;
        }
        float total = sum16(w16), mx = sum16(mx16), my = sum16(my16);
        for (long j = m16; j < m; j++) {
            float dx = px - t * yx[j], dy = py - t * yy[j];
            float w = expf((best - (dx * dx + dy * dy)) * inverse);
            total += w;
            mx += w * yx[j];
            my += w * yy[j];
        }
        out[2 * r] = (mx / total - px) / s;
        out[2 * r + 1] = (my / total - py) / s;
    }
}

/* The best and second best value a X[j] + b Y[j] - Q[j] over j < n (n a multiple of 16; the
 * auction passes (a, b) = 2 x0), and the best j: each of 16 lanes keeps its own best two and the
 * best's index, then the lanes are merged. The value is multiplied and added, never fused, on
 * every path (the portable one on x86 cannot fuse), so that every path pairs the same way. */
INLINE void best_two(float a, float b, const float *X, const float *Y, const float *Q, long n,
                     float *first, float *second, long *best) {
    const f16 lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    f16 b1 = -INFINITY, b2 = -INFINITY, index = 0;
    for (long j = 0; j < n; j += 16) {
        f16 v = (f16)a * load16(X + j) + ((f16)b * load16(Y + j) - load16(Q + j));
        u16 above = (u16)(v > b1);
        b2 = above ? b1 : __builtin_elementwise_max(b2, v);
        b1 = above ? v : b1;
        index = above ? lane + (f16)(float)j : index;
    }
    float f = __builtin_reduce_max(b1);
    float k = __builtin_reduce_min((u16)(b1 == (f16)f) ? index : (f16)INFINITY);
    f16 others = (u16)(index != (f16)k) ? b1 : (f16)-INFINITY;
    *first = f;
    *second = __builtin_reduce_max(__builtin_elementwise_max(b2, others));
    *best = (long)k;
}

/* The forward auction with epsilon scaling (Bertsekas 1988) for the assignment of noise rows x0
 * to data rows (X[j], Y[j]) of least total squared distance. Person i bids for the column j of
 * the largest value -|x0_i - y_j|^2 - price[j]; dropping |x0_i|^2, which is the same for every j,
 * that is 2 x0_i . y_j - Q[j] with Q[j] = |y_j|^2 + price[j]. The bid raises the price by the
 * gap to the second best plus eps. A phase ends when every person holds a column; eps then
 * shrinks by 5 until it reaches eps_final, where the assignment is within n * eps_final of the
 * optimum. X, Y and Q hold n_padded floats (a multiple of 16; the padding columns have Q = +inf). */
typedef void (*best_two_fn)(float, float, const float *, const float *, const float *, long,
                            float *, float *, long *);

INLINE void auction_body(const float *x0, long n, const float *X, const float *Y, float *Q,
                         long n_padded, float eps_start, float eps_final, int *owner_of,
                         int *column_of, int *queue, best_two_fn best_two_of) {
    float eps = eps_start;
    for (;;) {
        if (eps < eps_final) eps = eps_final;
        for (long j = 0; j < n; j++) owner_of[j] = -1;
        long head = 0, count = n;
        for (long i = 0; i < n; i++) queue[i] = (int)i;
        while (count > 0) {
            int i = queue[head];
            head = head + 1 == n ? 0 : head + 1;
            count--;
            float first, second;
            long best;
            best_two_of(2 * x0[2 * i], 2 * x0[2 * i + 1], X, Y, Q, n_padded, &first, &second, &best);
            Q[best] += (second == -INFINITY ? 0 : first - second) + eps;
            int previous = owner_of[best];
            owner_of[best] = i;
            column_of[i] = (int)best;
            if (previous >= 0) {
                long tail = head + count;
                if (tail >= n) tail -= n;
                queue[tail] = previous;
                count++;
            }
        }
        if (eps <= eps_final) return;
        eps /= 5;
    }
}

/* The sinusoidal features (SinusoidalEmbedding.swift): for each row r and k < half, with
 * x = values[r] * freq[k] in double, sin x into out[r * stride + k] and cos x into
 * out[r * stride + half + k]. x is reduced in double to r in [-pi/4, pi/4] and a quadrant q
 * (x = q pi/2 + r; q rounded to nearest even by adding and subtracting 1.5 * 2^52, exact for
 * |x| < 2^50), then short Taylor polynomials in float give sin r and cos r (3e-7 absolute), which
 * the quadrant swaps and negates; eight features at a time, lane by lane the same operations
 * on every path. */
typedef double d8 __attribute__((ext_vector_type(8)));
typedef int i8 __attribute__((ext_vector_type(8)));
typedef long long ll8 __attribute__((ext_vector_type(8)));

#define PI_DOUBLE 3.14159265358979323846
#define ROUNDING 6755399441055744.0 /* 1.5 * 2^52 */

INLINE void embedding_body(const float *values, long rows, const double *freq, long half,
                           float *out, long stride) {
    const double two_over_pi = 2 / PI_DOUBLE, half_pi = PI_DOUBLE / 2;
    for (long row = 0; row < rows; row++) {
        double v = values[row];
        float *sines = out + row * stride, *cosines = sines + half;
        for (long k = 0; k < half; k += 8) {
            long n = half - k < 8 ? half - k : 8; /* the last block may be short */
            d8 f = 0;
            if (n == 8) memcpy(&f, freq + k, sizeof f);
            else for (long l = 0; l < n; l++) f[l] = freq[k + l];
            d8 x = (d8)v * f;
            d8 q = (x * two_over_pi + ROUNDING) - ROUNDING;
            f8 r = __builtin_convertvector(x - q * half_pi, f8);
            f8 r2 = r * r;
            f8 sn = r * (1 + r2 * (-1.0f / 6 + r2 * (1.0f / 120 + r2 * (-1.0f / 5040))));
            f8 cs = 1 + r2 * (-0.5f + r2 * (1.0f / 24 + r2 * (-1.0f / 720 + r2 * (1.0f / 40320))));
            i8 quadrant = __builtin_convertvector(__builtin_convertvector(q, ll8) & 3, i8);
            i8 swap = (quadrant & 1) != 0;
            f8 sinx = swap ? cs : sn, cosx = swap ? sn : cs;
            sinx = (quadrant & 2) != 0 ? -sinx : sinx;
            cosx = ((quadrant + 1) & 2) != 0 ? -cosx : cosx;
            if (n == 8) {
                memcpy(sines + k, &sinx, sizeof sinx);
                memcpy(cosines + k, &cosx, sizeof cosx);
            } else {
                for (long l = 0; l < n; l++) {
                    sines[k + l] = sinx[l];
                    cosines[k + l] = cosx[l];
                }
            }
        }
    }
}

/* ---- One function per code path for each body. ---- */

/* The matrix kernels (the products and the auction) and the elementwise ones, each compiled per
 * path; the elementwise ones also for AVX-512, whose one register holds the 16 lanes that AVX2
 * needs two for (the products have their own AVX-512 kernel below). */
#define MATRIX_PATH(NAME, ATTRIBUTE, FUSED)                                                  \
    ATTRIBUTE static void region_##NAME(const float *a, long rs, long cs, const float *b,        \
                                        float *c, long r0, long r1, long j0, long j1, long k,    \
                                        long n, int accumulate) {                                \
        region_body(a, rs, cs, b, c, r0, r1, j0, j1, k, n, accumulate, FUSED);                      \
    }                                                                                            \
    ATTRIBUTE static void narrow_output_##NAME(const float *a, const float *bT, float *c, long m, \
                                               long k) {                                         \
        narrow_output_body(a, bT, c, m, k, FUSED);                                                \
    }                                                                                            \
    ATTRIBUTE static void narrow_weight_gradient_##NAME(const float *a, const float *d,          \
                                                        float *g, long m, long k) {              \
        narrow_weight_gradient_body(a, d, g, m, k, FUSED);                                        \
    }                                                                                            \
    ATTRIBUTE static void auction_##NAME(const float *x0, long n, const float *X, const float *Y, \
                                         float *Q, long n_padded, float eps_start,               \
                                         float eps_final, int *owner_of, int *column_of,         \
                                         int *queue) {                                           \
        auction_body(x0, n, X, Y, Q, n_padded, eps_start, eps_final, owner_of, column_of, queue,   \
                     best_two);                                                                  \
    }

#define ELEMENTWISE_PATH(NAME, ATTRIBUTE, FUSED)                                             \
    ATTRIBUTE static void silu_forward_##NAME(const float *z, float *a, float *s, long count) {   \
        silu_forward_body(z, a, s, count, FUSED);                                                 \
    }                                                                                            \
    ATTRIBUTE static void silu_backward_##NAME(const float *da, const float *z, const float *s,  \
                                               float *dz, long count) {                          \
        silu_backward_body(da, z, s, dz, count);                                                 \
    }                                                                                            \
    ATTRIBUTE static void bias_silu_forward_##NAME(float *z, const float *bias, float *a,        \
                                                   float *s, long count_rows, long columns) {    \
        bias_silu_forward_body(z, bias, a, s, count_rows, columns, FUSED);                       \
    }                                                                                            \
    ATTRIBUTE static void silu_backward_sums_##NAME(const float *da, const float *z,             \
                                                    const float *s, float *dz, long count_rows,  \
                                                    long columns, float *sums) {                 \
        silu_backward_sums_body(da, z, s, dz, count_rows, columns, sums);                        \
    }                                                                                            \
    ATTRIBUTE static void adam_##NAME(float *p, const float *g, float *m, float *v, long count,  \
                                      float b1, float b2, float eps, float lr, float inv_c2) {   \
        adam_body(p, g, m, v, count, b1, b2, eps, lr, inv_c2);                                   \
    }                                                                                            \
    ATTRIBUTE static void ema_##NAME(float *e, const float *p, long count, float decay) {        \
        ema_body(e, p, count, decay);                                                            \
    }                                                                                            \
    ATTRIBUTE static void column_sums_##NAME(const float *a, long count_rows, long columns,       \
                                             float *out) {                                       \
        column_sums_body(a, count_rows, columns, out);                                           \
    }                                                                                            \
    ATTRIBUTE static void transpose_##NAME(const float *src, float *dst, long m, long n) {       \
        transpose_body(src, dst, m, n);                                                          \
    }                                                                                            \
    ATTRIBUTE static void embedding_##NAME(const float *values, long rows, const double *freq,   \
                                           long half, float *out, long stride) {                 \
        embedding_body(values, rows, freq, half, out, stride);                                   \
    }                                                                                            \
    ATTRIBUTE static void exact_velocity_##NAME(const float *x, long rows, float t, float s,      \
                                                const float *yx, const float *yy, long m,        \
                                                float *out) {                                    \
        exact_velocity_body(x, rows, t, s, yx, yy, m, out, FUSED);                                \
    }

#define PATH(NAME, ATTRIBUTE, FUSED)                                                             \
    MATRIX_PATH(NAME, ATTRIBUTE, FUSED)                                                          \
    ELEMENTWISE_PATH(NAME, ATTRIBUTE, FUSED)

PATH(portable, , PORTABLE_FUSES)

int fe_portable_fuses(void) { return PORTABLE_FUSES; }

#if defined(__x86_64__)
#include <immintrin.h>

PATH(avx2, __attribute__((target("avx2,fma"))), 1)
ELEMENTWISE_PATH(avx512, __attribute__((target("avx512f"))), 1)

int fe_cpu_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
}

/* C[rows, columns] (+)= A B for rows a multiple of 6 and columns a multiple of 32: a 6 x 32 block
 * of C in twelve zmm registers while p runs over k. */
__attribute__((target("avx512f"))) static void gemm_avx512(const float *a, long rs, long cs,
                                                           const float *b, float *c, long n,
                                                           long rows, long k, long columns,
                                                           int accumulate) {
    for (long i = 0; i + 6 <= rows; i += 6) {
        for (long j = 0; j + 32 <= columns; j += 32) {
            float *cp = c + i * n + j;
            __m512 acc[12];
            for (int r = 0; r < 6; r++) {
                acc[2 * r] = accumulate ? _mm512_loadu_ps(cp + r * n) : _mm512_setzero_ps();
                acc[2 * r + 1] = accumulate ? _mm512_loadu_ps(cp + r * n + 16) : _mm512_setzero_ps();
            }
            const float *ap = a + i * rs, *bp = b + j;
            for (long p = 0; p < k; p++) {
                __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
                for (int r = 0; r < 6; r++) {
                    __m512 x = _mm512_set1_ps(ap[r * rs]);
                    acc[2 * r] = _mm512_fmadd_ps(x, b0, acc[2 * r]);
                    acc[2 * r + 1] = _mm512_fmadd_ps(x, b1, acc[2 * r + 1]);
                }
                bp += n;
                ap += cs;
            }
            for (int r = 0; r < 6; r++) {
                _mm512_storeu_ps(cp + r * n, acc[2 * r]);
                _mm512_storeu_ps(cp + r * n + 16, acc[2 * r + 1]);
            }
        }
    }
}

#define DISPATCH(NAME, ...)                                  \
    do {                                                     \
        if (level >= 1) NAME##_avx2(__VA_ARGS__);            \
        else NAME##_portable(__VA_ARGS__);                   \
    } while (0)

/* The elementwise kernels, which have an AVX-512 path too. */
#define DISPATCH_ELEMENTWISE(NAME, ...)                      \
    do {                                                     \
        if (level >= 2) NAME##_avx512(__VA_ARGS__);          \
        else if (level >= 1) NAME##_avx2(__VA_ARGS__);       \
        else NAME##_portable(__VA_ARGS__);                   \
    } while (0)

/* best_two in one zmm register of 16 lanes, with mask registers: the same values and the same
 * answer as the generic body (every value is the same multiplies and adds of the same operands,
 * and the reductions are exact), in about half the instructions of two AVX2 registers. */
__attribute__((target("avx512f"))) static inline __attribute__((always_inline)) void
best_two_avx512(float a, float b, const float *X, const float *Y, const float *Q, long n,
                float *first, float *second, long *best) {
    const __m512 va = _mm512_set1_ps(a), vb = _mm512_set1_ps(b);
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    __m512 b1 = _mm512_set1_ps(-INFINITY), b2 = b1;
    __m512i index = _mm512_setzero_si512();
    for (long j = 0; j < n; j += 16) {
        __m512 v = _mm512_add_ps(_mm512_mul_ps(va, _mm512_loadu_ps(X + j)),
                                 _mm512_sub_ps(_mm512_mul_ps(vb, _mm512_loadu_ps(Y + j)), _mm512_loadu_ps(Q + j)));
        __mmask16 above = _mm512_cmp_ps_mask(v, b1, _CMP_GT_OQ);
        b2 = _mm512_mask_blend_ps(above, _mm512_max_ps(b2, v), b1);
        b1 = _mm512_mask_blend_ps(above, b1, v);
        index = _mm512_mask_blend_epi32(above, index, _mm512_add_epi32(lane, _mm512_set1_epi32((int)j)));
    }
    float f = _mm512_reduce_max_ps(b1);
    int k = _mm512_mask_reduce_min_epi32(_mm512_cmp_ps_mask(b1, _mm512_set1_ps(f), _CMP_EQ_OQ), index);
    __mmask16 others = _mm512_cmpneq_epi32_mask(index, _mm512_set1_epi32(k));
    *first = f;
    *second = _mm512_reduce_max_ps(
        _mm512_max_ps(b2, _mm512_mask_blend_ps(others, _mm512_set1_ps(-INFINITY), b1)));
    *best = k;
}

__attribute__((target("avx512f"))) static void auction_avx512(const float *x0, long n,
                                                              const float *X, const float *Y,
                                                              float *Q, long n_padded,
                                                              float eps_start, float eps_final,
                                                              int *owner_of, int *column_of,
                                                              int *queue) {
    auction_body(x0, n, X, Y, Q, n_padded, eps_start, eps_final, owner_of, column_of, queue,
                 best_two_avx512);
}

#else

int fe_cpu_level(void) { return 0; }

static void gemm_avx512(const float *a, long rs, long cs, const float *b, float *c, long n,
                        long rows, long k, long columns, int accumulate) {
    (void)a; (void)rs; (void)cs; (void)b; (void)c; (void)n;
    (void)rows; (void)k; (void)columns; (void)accumulate;
}

#define DISPATCH(NAME, ...)                                  \
    do {                                                     \
        (void)level;                                         \
        NAME##_portable(__VA_ARGS__);                        \
    } while (0)
#define DISPATCH_ELEMENTWISE DISPATCH

static void auction_avx512(const float *x0, long n, const float *X, const float *Y, float *Q,
                           long n_padded, float eps_start, float eps_final, int *owner_of,
                           int *column_of, int *queue) {
    auction_portable(x0, n, X, Y, Q, n_padded, eps_start, eps_final, owner_of, column_of, queue);
}

#endif

/* ---- The entry points. ---- */

static void region(int level, const float *a, long rs, long cs, const float *b, float *c, long r0,
                   long r1, long j0, long j1, long k, long n, int accumulate) {
    DISPATCH(region, a, rs, cs, b, c, r0, r1, j0, j1, k, n, accumulate);
}

/* One pass over all of K. With AVX-512, its kernel takes the blocks of 6 rows by 32 columns and the
 * AVX2 kernel the rest. When m is not a multiple of 6 and C is overwritten, the last 6 rows are one
 * more block, overlapping the one before (see region_body). */
static void gemm_pass(int level, const float *a, long rs, long cs, const float *b, float *c, long m,
                      long k, long n, int accumulate) {
    if (level < 2 || m < 6 || n < 32) {
        region(level, a, rs, cs, b, c, 0, m, 0, n, k, n, accumulate);
        return;
    }
    long wide_rows = m - m % 6, wide_columns = n & ~31L;
    gemm_avx512(a, rs, cs, b, c, n, wide_rows, k, wide_columns, accumulate);
    if (wide_rows < m && !accumulate)
        gemm_avx512(a + (m - 6) * rs, rs, cs, b, c + (m - 6) * n, n, 6, k, wide_columns, 0);
    else if (wide_rows < m)
        region(level, a, rs, cs, b, c, wide_rows, m, 0, wide_columns, k, n, 1);
    region(level, a, rs, cs, b, c, 0, m, wide_columns, n, k, n, accumulate);
}

/* K in passes of k_block terms: each pass adds its terms to C, which holds the running sums in
 * between, so every element is still one chain of multiply-adds in the order of p, and the bits
 * do not depend on k_block. */
void fe_gemm(int level, const float *a, long rs, long cs, const float *b, float *c, long m, long k,
             long n, int accumulate, long k_block) {
    if (k_block <= 0 || k_block >= k) {
        gemm_pass(level, a, rs, cs, b, c, m, k, n, accumulate);
        return;
    }
    for (long p = 0; p < k; p += k_block) {
        long terms = k - p < k_block ? k - p : k_block;
        gemm_pass(level, a + p * cs, rs, cs, b + p * n, c, m, terms, n, accumulate || p > 0);
    }
}

void fe_gemm_narrow_output(int level, const float *a, const float *bT, float *c, long m, long k) {
    DISPATCH(narrow_output, a, bT, c, m, k);
}

void fe_gemm_narrow_weight_gradient(int level, const float *a, const float *d, float *g, long m,
                                    long k) {
    DISPATCH(narrow_weight_gradient, a, d, g, m, k);
}

void fe_silu_forward(int level, const float *z, float *a, float *s, long count) {
    DISPATCH_ELEMENTWISE(silu_forward, z, a, s, count);
}

void fe_silu_backward(int level, const float *da, const float *z, const float *s, float *dz,
                      long count) {
    DISPATCH_ELEMENTWISE(silu_backward, da, z, s, dz, count);
}

void fe_bias_silu_forward(int level, float *z, const float *bias, float *a, float *s,
                          long count_rows, long columns) {
    DISPATCH_ELEMENTWISE(bias_silu_forward, z, bias, a, s, count_rows, columns);
}

void fe_silu_backward_sums(int level, const float *da, const float *z, const float *s, float *dz,
                           long count_rows, long columns, float *sums) {
    DISPATCH_ELEMENTWISE(silu_backward_sums, da, z, s, dz, count_rows, columns, sums);
}

void fe_adam(int level, float *p, const float *g, float *m, float *v, long count, float b1,
             float b2, float eps, float lr, float inv_c2) {
    DISPATCH_ELEMENTWISE(adam, p, g, m, v, count, b1, b2, eps, lr, inv_c2);
}

void fe_ema(int level, float *e, const float *p, long count, float decay) {
    DISPATCH_ELEMENTWISE(ema, e, p, count, decay);
}
void fe_column_sums(int level, const float *a, long count_rows, long columns, float *out) {
    DISPATCH_ELEMENTWISE(column_sums, a, count_rows, columns, out);
}

void fe_transpose(int level, const float *src, float *dst, long m, long n) {
    DISPATCH_ELEMENTWISE(transpose, src, dst, m, n);
}

void fe_embedding(int level, const float *values, long rows, const double *freq, long half,
                  float *out, long stride) {
    DISPATCH_ELEMENTWISE(embedding, values, rows, freq, half, out, stride);
}

void fe_exact_velocity(int level, const float *x, long rows, float t, float s, const float *yx,
                       const float *yy, long m, float *out) {
    DISPATCH_ELEMENTWISE(exact_velocity, x, rows, t, s, yx, yy, m, out);
}

void fe_assign_auction(int level, const float *x0, long n, const float *X, const float *Y,
                       float *Q, long n_padded, float eps_start, float eps_final, int *owner_of,
                       int *column_of, int *queue) {
    if (level >= 2) {
        auction_avx512(x0, n, X, Y, Q, n_padded, eps_start, eps_final, owner_of, column_of, queue);
        return;
    }
    DISPATCH(auction, x0, n, X, Y, Q, n_padded, eps_start, eps_final, owner_of, column_of, queue);
}

void fe_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
