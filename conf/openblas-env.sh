# shellcheck shell=bash
# Sourced by submit.sh and bench/kernel.sh: names OpenBLAS's kernels for this machine's CPU when nothing else does.
#
# ND4J 1.0.0-M2 bundles OpenBLAS 0.3.19, which predates AMD's newest processors: on this project's Zen 5 machine,
# left to itself, it picks its "Barcelona" kernels (SSE, from 2007) and a training step takes 5.6 ms; its AVX2
# (Haswell) kernels take 3.3 ms and its AVX-512 (SkylakeX) ones 2.2 ms (bench/kernel.sh 2 128, one run after the
# other). OpenBLAS reads OPENBLAS_CORETYPE once, when it loads, so it is set here, in the environment of the JVM that
# computes (in local mode, the driver; for executors on a cluster see README.md, "Running on a cluster"). Only AMD
# CPUs are named, by their instruction sets; OpenBLAS recognises Intel's itself. A value already set is left alone.
_cpuinfo="${SPARK_VAE_CPUINFO:-/proc/cpuinfo}"   # another file only in tests
if [[ -z "${OPENBLAS_CORETYPE:-}" && -r "$_cpuinfo" ]]; then
  _cpu="$(grep -m2 -E '^(vendor_id|flags)' "$_cpuinfo" || true) "
  if [[ "$_cpu" == *AuthenticAMD* ]]; then
    if [[ "$_cpu" == *" avx512f "* && "$_cpu" == *" avx512bw "* && "$_cpu" == *" avx512dq "* \
          && "$_cpu" == *" avx512vl "* ]]; then
      export OPENBLAS_CORETYPE=SKYLAKEX
    elif [[ "$_cpu" == *" avx2 "* && "$_cpu" == *" fma "* ]]; then
      export OPENBLAS_CORETYPE=HASWELL
    fi
  fi
  unset _cpu
fi
unset _cpuinfo
