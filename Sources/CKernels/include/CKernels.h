#ifndef FLOW_EXPLORER_CKERNELS_H
#define FLOW_EXPLORER_CKERNELS_H

/* The numeric kernels of FlowCore, in C so that each can be compiled for a CPU feature set of its
 * own (function target attributes) and chosen at run time, without package-wide compiler flags.
 *
 * `level` selects the code path: 0 portable C (any CPU), 1 AVX2 + FMA, 2 AVX-512F (x86_64 only).
 * Pass at most fe_cpu_level(). Every path adds the K terms of each matrix element in order with
 * one fused multiply-add per term and evaluates the elementwise functions with the same operations
 * lane by lane, so all paths give the same bits; except the portable path where the baseline
 * instruction set has no FMA (x86_64 without AVX2 and FMA), which multiplies and adds instead
 * (fe_portable_fuses() is 0) and differs in the last bits. */

/// The best code path this CPU and OS run: 2 AVX-512F, 1 AVX2 and FMA, 0 portable.
int fe_cpu_level(void);

/// 1 when the portable path fuses its multiply-adds (aarch64), 0 when it multiplies and adds (x86_64).
int fe_portable_fuses(void);

/// C[m, n] (+)= A B. Element (i, p) of A is a[i * row_stride + p * column_stride]; B is [k, n]
/// row-major and C is [m, n] row-major. `accumulate` 0 overwrites C, 1 adds to it. `k_block` > 0
/// adds the K terms in passes of that many (the rows of A and B one pass reads then stay in L1);
/// 0 makes one pass. The result has the same bits either way.
void fe_gemm(int level, const float *a, long row_stride, long column_stride, const float *b,
             float *c, long m, long k, long n, int accumulate, long k_block);

/// C[m, 2] = A[m, k] B[k, 2], with B given transposed as bT [2, k] (the 2-wide output layer).
void fe_gemm_narrow_output(int level, const float *a, const float *bT, float *c, long m, long k);

/// G[k, 2] = A[m, k]^T D[m, 2] (overwrites G): the weight gradient of the 2-wide output layer.
void fe_gemm_narrow_weight_gradient(int level, const float *a, const float *d, float *g, long m,
                                    long k);

/// SiLU forward on `count` values: a = z * sigma(z), and s = sigma(z) for the backward pass.
void fe_silu_forward(int level, const float *z, float *a, float *s, long count);

/// SiLU backward: dz = da * s * (1 + z * (1 - s)) with s = sigma(z). `dz` may alias `da`.
void fe_silu_backward(int level, const float *da, const float *z, const float *s, float *dz,
                      long count);

/// The bias and SiLU of a hidden layer, over [count_rows, columns] row-major: z += bias (per
/// column), then a = z * sigma(z) and s = sigma(z); the bits of the bias add, then fe_silu_forward.
void fe_bias_silu_forward(int level, float *z, const float *bias, float *a, float *s,
                          long count_rows, long columns);

/// fe_silu_backward over [count_rows, columns] and the bias gradient of the result: sums[c] = the
/// sum over r of dz[r, c]; the bits of fe_silu_backward then fe_column_sums. `dz` may alias `da`.
void fe_silu_backward_sums(int level, const float *da, const float *z, const float *s, float *dz,
                           long count_rows, long columns, float *sums);

/// One Adam step on `count` parameters: m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
/// p <- p - lr m / (sqrt(v inv_c2) + eps). `lr` is already divided by the bias correction
/// 1 - b1^t and `inv_c2` is 1 / (1 - b2^t).
void fe_adam(int level, float *p, const float *g, float *m, float *v, long count, float b1,
             float b2, float eps, float lr, float inv_c2);

/// The exponential moving average of the weights: e <- decay e + (1 - decay) p.
void fe_ema(int level, float *e, const float *p, long count, float decay);

/// out[c] = sum over r < count_rows of a[r, c], added in the order of r (the bias gradient).
void fe_column_sums(int level, const float *a, long count_rows, long columns, float *out);

/// dst[n, m] = src[m, n] transposed (row-major both).
void fe_transpose(int level, const float *src, float *dst, long m, long n);

/// The sinusoidal features of `rows` values: with x = values[r] * freq[k] (in double), sin x into
/// out[r * stride + k] and cos x into out[r * stride + half + k], k < half (SinusoidalEmbedding.swift).
void fe_embedding(int level, const float *values, long rows, const double *freq, long half,
                  float *out, long stride);

/// The exact velocity of the data points (yx[j], yy[j]), j < m, at `rows` points x[rows, 2] and
/// time t, with 1 - t replaced by s (the caller clamps it): out[rows, 2] (ExactFlow.swift).
void fe_exact_velocity(int level, const float *x, long rows, float t, float s, const float *yx,
                       const float *yy, long m, float *out);

/// The data row column_of[i] paired with noise row i of x0[n, 2] so that the total squared
/// distance is least to within n * eps_final (the auction algorithm with epsilon scaling from
/// eps_start). The data rows are given as columns X, Y and Q = |y_j|^2, padded to n_padded (a
/// multiple of 16) with Q = +inf; Q is overwritten (it accumulates the prices). owner_of, column_of
/// and queue hold n ints (scratch but column_of, the answer).
void fe_assign_auction(int level, const float *x0, long n, const float *X, const float *Y,
                       float *Q, long n_padded, float eps_start, float eps_final, int *owner_of,
                       int *column_of, int *queue);

/// A hint to the CPU that the caller is spinning on a memory location (x86 `pause`, Arm `yield`).
void fe_spin_pause(void);

#endif
