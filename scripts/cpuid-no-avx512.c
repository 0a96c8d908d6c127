/* A preload library that makes CPUID report a CPU without AVX-512, so that a program whose
 * libraries choose their kernels from CPUID (JAX's matrix library does: YNNPACK through cpuinfo)
 * runs its AVX2 code on an AVX-512 CPU. scripts/jax-bench --isa avx2 uses it: XLA's
 * --xla_cpu_max_isa=AVX2 caps only the code XLA generates, not that library.
 *
 * How: Linux's CPUID faulting (arch_prctl ARCH_SET_CPUID 0; /proc/cpuinfo lists cpuid_fault)
 * turns every CPUID instruction of this process into a SIGSEGV. The handler runs the real CPUID
 * (faulting off for that one instruction), clears the AVX-512 feature bits of leaf 7, writes the
 * four registers back and steps over the 2-byte instruction. The setting is per thread and
 * inherited by the threads created after it, so it is made in a constructor, before any.
 * Programs query CPUID only while they start (JAX: about 900 times, then never), so a step is not
 * slowed. Build: cc -O2 -shared -fPIC -o cpuid-no-avx512.so cpuid-no-avx512.c
 * Use: LD_PRELOAD=./cpuid-no-avx512.so program (glibc's own string functions choose before this
 * runs: GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,... covers those). */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static struct sigaction previous;

static int set_cpuid(int enabled) { return (int)syscall(SYS_arch_prctl, ARCH_SET_CPUID, enabled); }

/* Leaf 7, subleaf 0: EBX bits 16 AVX512F, 17 DQ, 21 IFMA, 26 PF, 27 ER, 28 CD, 30 BW, 31 VL;
 * ECX bits 1 VBMI, 6 VBMI2, 11 VNNI, 12 BITALG, 14 VPOPCNTDQ; EDX bits 2 4VNNIW, 3 4FMAPS,
 * 8 VP2INTERSECT, 23 FP16. Subleaf 1: EAX bit 5 AVX512_BF16. */
static void hide_avx512(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
  if (leaf != 7) return;
  if (subleaf == 0) {
    *b &= ~(1u << 16 | 1u << 17 | 1u << 21 | 1u << 26 | 1u << 27 | 1u << 28 | 1u << 30 | 1u << 31);
    *c &= ~(1u << 1 | 1u << 6 | 1u << 11 | 1u << 12 | 1u << 14);
    *d &= ~(1u << 2 | 1u << 3 | 1u << 8 | 1u << 23);
  } else if (subleaf == 1) {
    *a &= ~(1u << 5);
  }
}

static void on_fault(int signal, siginfo_t *info, void *context) {
  greg_t *r = ((ucontext_t *)context)->uc_mcontext.gregs;
  const uint8_t *ip = (const uint8_t *)r[REG_RIP];
  if (ip[0] != 0x0f || ip[1] != 0xa2) { /* not CPUID: a real fault, for the handler before us */
    sigaction(SIGSEGV, &previous, NULL);
    raise(signal);
    return;
  }
  uint32_t leaf = (uint32_t)r[REG_RAX], subleaf = (uint32_t)r[REG_RCX], a, b, c, d;
  set_cpuid(1);
  __cpuid_count(leaf, subleaf, a, b, c, d);
  set_cpuid(0);
  hide_avx512(leaf, subleaf, &a, &b, &c, &d);
  r[REG_RAX] = a;
  r[REG_RBX] = b;
  r[REG_RCX] = c;
  r[REG_RDX] = d;
  r[REG_RIP] += 2;
  (void)info;
}

__attribute__((constructor)) static void start(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_fault;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &action, &previous);
  if (set_cpuid(0) != 0) {
    fputs("cpuid-no-avx512: this CPU or kernel has no CPUID faulting; AVX-512 cannot be hidden\n", stderr);
    _exit(3);
  }
}
