#!/usr/bin/env bash
# The cost of a round on a real multi-JVM cluster: starts a Spark standalone cluster on loopback from the build's
# Spark jars (a Master and two Workers of one core each, so each partition trains in its own executor JVM, apart from
# the driver), runs the job's default settings on the bundled Fashion-MNIST through submit.sh, prints the round split
# (epochs 3 on) and how long the executors took to read each round's broadcast, and stops the cluster.
#
#   bench/standalone-round.sh [epochs] [job options...]      (default: 10 epochs)
#
# SUBMIT_OPTS adds spark-submit options, e.g. SUBMIT_OPTS="--conf spark.broadcast.blockSize=16m".
# BENCH_MAVEN_ARGS=-Pspark-4 runs the cluster and the job on the Spark 4 line instead of the default 3.5.
#
# Every JVM of the cluster shares this machine's cores, so a message between them can wait for a core: on a real
# cluster the driver and each executor have their own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
epochs="${1:-10}"; shift || true
# shellcheck disable=SC2086  # BENCH_MAVEN_ARGS: Maven options, split into words
mvn -B -q -DskipTests ${BENCH_MAVEN_ARGS:-} package >&2
source bench/standalone-cluster.sh
start_standalone_cluster

echo "== spark-vae on a standalone cluster (2 executors of 1 core): $epochs epochs $*" >&2
data="file://$here/data/fashion-mnist"   # absolute: executors run in their own working directories
# shellcheck disable=SC2086  # SUBMIT_OPTS: spark-submit options, split into words
SPARK_VAE_DRIVER_OPTS="${SPARK_VAE_DRIVER_OPTS:--Xmx2g}" "$here/submit.sh" --master "$master_url" \
  --executor-memory 2500m ${SUBMIT_OPTS:-} train --epochs "$epochs" --input "$data/train-images-idx3-ubyte.gz" \
  --test "$data/t10k-images-idx3-ubyte.gz" --output "$work/run" "$@" > "$work/job.log" 2>&1 \
  || { tail -20 "$work/job.log" >&2; exit 1; }
grep -E "epoch [0-9]+/" "$work/job.log" >&2

awk -v from=3 -f bench/round-split.awk "$work/job.log"
grep -oE "test -ELBO [0-9.]+" "$work/job.log" | tail -1
# TorrentBroadcast logs each read on the executor, and the memory store the value's size: a round's input is the
# broadcast of megabytes (a task binary, of kilobytes).
cat "$work"/work*/*/*/stderr > "$work/executors.log"
awk 'NR == FNR { if ($0 ~ /Block broadcast_[0-9]+ stored as values in memory \(estimated size [0-9.]+ MiB/) {
      id = $0; sub(/.*Block broadcast_/, "", id); sub(/ .*/, "", id); large[id] = 1 }; next }
  /Reading broadcast variable .* took/ { if ($(NF - 3) in large) print $(NF - 1) }' \
  "$work/executors.log" "$work/executors.log" | sort -n \
  | awk '{ v[NR] = $1 } END { if (NR) printf "executors reading a broadcast of megabytes (a round'"'"'s input, an evaluation'"'"'s parameters): median %d ms, 90th percentile %d ms (%d reads)\n",
         v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], NR }'
grep -oE "epoch $epochs/$epochs .* [0-9]+ examples/s" "$work/job.log" | grep -oE "[0-9]+ examples/s$" \
  | sed 's/^/last epoch: /'
