/* Runs every kernel of Sources/CKernels on fixed inputs and prints each output value, one per line
 * as "kernel index value", for one code path: `kernel-harness LEVEL` (0 portable, 1 AVX2 and FMA,
 * 2 AVX-512; a level the CPU lacks is refused). scripts/arm-kernels builds it for x86_64 and for
 * aarch64 (run under qemu-aarch64) and compares the outputs, so the Arm build is checked against
 * the x86 results on the same inputs. Shapes are odd on purpose: they reach the vector tails. */
#include <stdio.h>
#include <stdlib.h>

#include "CKernels.h"

static unsigned long long state = 0x9E3779B97F4A7C15ull;

/* A uniform value in [-1, 1) from a fixed xorshift stream (the same on every machine). */
static float next_value(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (float)((state >> 40) & 0xFFFFFF) / 8388608.0f - 1.0f;
}

static float *filled(long count, float scale, float offset) {
    float *p = malloc(sizeof(float) * (size_t)(count > 0 ? count : 1));
    for (long i = 0; i < count; i++) p[i] = offset + scale * next_value();
    return p;
}

static void print(const char *name, const float *values, long count) {
    for (long i = 0; i < count; i++) printf("%s %ld %.9e\n", name, i, (double)values[i]);
}

int main(int argc, char **argv) {
    int level = argc > 1 ? atoi(argv[1]) : 0;
    if (level < 0 || level > fe_cpu_level()) {
        fprintf(stderr, "kernel-harness: this CPU runs levels 0 to %d, not %d\n", fe_cpu_level(), level);
        return 2;
    }
    /* fe_gemm, both layouts (row-major A and transposed A), overwrite and accumulate. */
    long m = 37, k = 35, n = 130;
    float *a = filled(m * k, 1, 0), *b = filled(k * n, 1, 0), *c = filled(m * n, 1, 0);
    fe_gemm(level, a, k, 1, b, c, m, k, n, 0, 0);
    print("gemm", c, m * n);
    fe_gemm(level, a, 1, m, b, c, m, k, n, 1, 0);
    print("gemm_transposed_accumulate", c, m * n);
    fe_gemm(level, a, 1, m, b, c, m, k, n, 0, 16);
    print("gemm_transposed_blocked", c, m * n);
    /* The bias and SiLU of a layer (a width of whole vectors and one without), the SiLU backward
     * with the bias gradient, the column sums and the transpose. */
    float *bias = filled(k, 1, 0), *sums = filled(k, 1, 0), *t = filled(m * k, 1, 0);
    for (long columns = 32; columns <= 35; columns += 3) {
        float *zb = filled(m * columns, 6, 0), *ab = filled(m * columns, 1, 0), *sb = filled(m * columns, 1, 0);
        fe_bias_silu_forward(level, zb, bias, ab, sb, m, columns);
        print(columns == 32 ? "bias_silu_forward_a32" : "bias_silu_forward_a35", ab, m * columns);
        fe_silu_backward_sums(level, a, zb, sb, ab, m, columns, sums);
        print(columns == 32 ? "silu_backward_sums32" : "silu_backward_sums35", sums, columns);
    }
    fe_column_sums(level, a, m, k, sums);
    print("column_sums", sums, k);
    fe_transpose(level, a, t, m, k);
    print("transpose", t, m * k);
    /* The 2-wide output layer and its weight gradient. */
    float *bT = filled(2 * k, 1, 0), *c2 = filled(2 * m, 1, 0), *d = filled(2 * m, 1, 0), *g = filled(2 * k, 1, 0);
    fe_gemm_narrow_output(level, a, bT, c2, m, k);
    print("gemm_narrow_output", c2, 2 * m);
    fe_gemm_narrow_weight_gradient(level, a, d, g, m, k);
    print("gemm_narrow_weight_gradient", g, 2 * k);
    /* SiLU forward and backward over a range that reaches both tails of the sigmoid. */
    long count = 1003;
    float *z = filled(count, 12, 0), *act = filled(count, 1, 0), *s = filled(count, 1, 0);
    float *da = filled(count, 1, 0), *dz = filled(count, 1, 0);
    fe_silu_forward(level, z, act, s, count);
    print("silu_forward_a", act, count);
    print("silu_forward_s", s, count);
    fe_silu_backward(level, da, z, s, dz, count);
    print("silu_backward", dz, count);
    /* Three Adam steps and an EMA. */
    float *p = filled(count, 1, 0), *grad = filled(count, 0.1f, 0), *m1 = filled(count, 0, 0), *v = filled(count, 0, 0);
    for (int t = 1; t <= 3; t++) {
        float c1 = 1, c2t = 1;
        for (int i = 0; i < t; i++) {
            c1 *= 0.9f;
            c2t *= 0.999f;
        }
        fe_adam(level, p, grad, m1, v, count, 0.9f, 0.999f, 1e-8f, 1e-3f / (1 - c1), 1 / (1 - c2t));
    }
    print("adam_p", p, count);
    print("adam_v", v, count);
    float *e = filled(count, 1, 0);
    fe_ema(level, e, p, count, 0.999f);
    print("ema", e, count);
    /* The exact velocity of 53 data points at 29 points and two times. */
    long rows = 29, points = 53;
    float *x = filled(2 * rows, 2, 0), *yx = filled(points, 3, 0), *yy = filled(points, 3, 0);
    float *out = filled(2 * rows, 1, 0);
    fe_exact_velocity(level, x, rows, 0.3f, 0.7f, yx, yy, points, out);
    print("exact_velocity_t0.3", out, 2 * rows);
    fe_exact_velocity(level, x, rows, 0.97f, 0.03f, yx, yy, points, out);
    print("exact_velocity_t0.97", out, 2 * rows);
    /* The auction on 45 noise rows (padded to 48): the total squared distance of its pairing. */
    long pairs = 45, padded = 48;
    float *x0 = filled(2 * pairs, 1.5f, 0), *X = filled(padded, 2, 0), *Y = filled(padded, 2, 0);
    float *Q = malloc(sizeof(float) * padded);
    for (long j = 0; j < padded; j++) Q[j] = j < pairs ? X[j] * X[j] + Y[j] * Y[j] : 1.0f / 0.0f;
    int *owner = malloc(sizeof(int) * pairs), *column = malloc(sizeof(int) * pairs), *queue = malloc(sizeof(int) * pairs);
    fe_assign_auction(level, x0, pairs, X, Y, Q, padded, 1.0f, 1e-4f, owner, column, queue);
    float cost = 0;
    for (long i = 0; i < pairs; i++) {
        float dx = x0[2 * i] - X[column[i]], dy = x0[2 * i + 1] - Y[column[i]];
        cost += dx * dx + dy * dy;
    }
    print("auction_cost", &cost, 1);
    return 0;
}
