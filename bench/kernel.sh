#!/usr/bin/env bash
# Kernel benchmark: one training step of the model module at several minibatch sizes.
#   bench/kernel.sh [threads] [minibatch sizes...]      (default: 1 thread; 32 128 512)
# threads > 1 splits each minibatch into that many slices computed side by side, ND4J ops single-threaded (as the
# job does with spark.task.cpus > 1). Unsplit alternatives: JAVA_OPTS=-Dblas.threads=T gives the matrix products T
# BLAS threads (other ops single-threaded); JAVA_OPTS=-Dnd4j.threads=T gives ND4J T threads for everything.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
source "$here/conf/openblas-env.sh"   # the kernels the job uses on this CPU
mvn -B -q -pl model test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >&2
exec java ${JAVA_OPTS:-} -cp "model/target/classes:model/target/test-classes:$(cat model/target/bench-classpath.txt)" \
  com.sparkvae.model.bench.StepBenchmark "$@"
