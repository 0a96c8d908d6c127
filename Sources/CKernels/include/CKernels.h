#ifndef FLOW_EXPLORER_CKERNELS_H
#define FLOW_EXPLORER_CKERNELS_H

/// 1 when this CPU and OS run AVX-512F instructions, else 0 (always 0 off x86_64).
int fe_avx512_available(void);

/// C[0..rows, 0..columns] (+)= A B with AVX-512, for rows a multiple of 6 and columns a multiple
/// of 32. Element (i, p) of A is a[i * row_stride + p * column_stride]; B is [k, ldb] row-major and
/// C is [*, ldc] row-major. Each C element is accumulated over p in order with one fused
/// multiply-add per term, exactly like the Swift SIMD16 kernel, so both give the same bits.
/// Call only when fe_avx512_available() is 1.
void fe_gemm_avx512(const float *a, long row_stride, long column_stride,
                    const float *b, long ldb, float *c, long ldc,
                    long rows, long k, long columns, int accumulate);

#endif
