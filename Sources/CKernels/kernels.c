#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

int fe_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

/* A 6 x 32 block of C in twelve zmm registers while p runs over k. */
__attribute__((target("avx512f")))
void fe_gemm_avx512(const float *a, long rs, long cs, const float *b, long ldb, float *c, long ldc,
                    long rows, long k, long columns, int accumulate) {
    for (long i = 0; i + 6 <= rows; i += 6) {
        for (long j = 0; j + 32 <= columns; j += 32) {
            float *cp = c + i * ldc + j;
            __m512 acc[12];
            for (int r = 0; r < 6; r++) {
                acc[2 * r] = accumulate ? _mm512_loadu_ps(cp + r * ldc) : _mm512_setzero_ps();
                acc[2 * r + 1] = accumulate ? _mm512_loadu_ps(cp + r * ldc + 16) : _mm512_setzero_ps();
            }
            const float *ap = a + i * rs;
            const float *bp = b + j;
            for (long p = 0; p < k; p++) {
                __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
                for (int r = 0; r < 6; r++) {
                    __m512 x = _mm512_set1_ps(ap[r * rs]);
                    acc[2 * r] = _mm512_fmadd_ps(x, b0, acc[2 * r]);
                    acc[2 * r + 1] = _mm512_fmadd_ps(x, b1, acc[2 * r + 1]);
                }
                bp += ldb;
                ap += cs;
            }
            for (int r = 0; r < 6; r++) {
                _mm512_storeu_ps(cp + r * ldc, acc[2 * r]);
                _mm512_storeu_ps(cp + r * ldc + 16, acc[2 * r + 1]);
            }
        }
    }
}

#else

int fe_avx512_available(void) { return 0; }

void fe_gemm_avx512(const float *a, long rs, long cs, const float *b, long ldb, float *c, long ldc,
                    long rows, long k, long columns, int accumulate) {
    (void)a; (void)rs; (void)cs; (void)b; (void)ldb; (void)c; (void)ldc;
    (void)rows; (void)k; (void)columns; (void)accumulate;
}

#endif
