#!/usr/bin/env bash
# --rounds auto through the loss of a Worker, on a standalone cluster on loopback (bench/standalone-cluster.sh: a
# Master and two one-core Workers): trains the default auto mode on the first 3,000 bundled training images, kills
# Worker 2 and its executor (SIGKILL) once the first span runs, starts another Worker once the driver has gone on
# in jobs mode, and prints the driver's round-mode lines and each epoch's round time, the part beyond compute, and
# the test -ELBO, so that the epochs in jobs mode and those after stage mode came back can be compared.
#
#   bench/auto-worker-lost.sh [epochs]     (default 12)
#
# BENCH_MAVEN_ARGS=-Pspark-4 builds and runs the Spark 4 line; BENCH_NO_BUILD=1 runs the jar as it was last built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
epochs="${1:-12}"

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  # shellcheck disable=SC2086  # BENCH_MAVEN_ARGS (e.g. -Pspark-4): Maven options, split into words
  mvn -B -q -DskipTests ${BENCH_MAVEN_ARGS:-} package >&2
fi
source bench/standalone-cluster.sh
start_standalone_cluster

# The first 3,000 images, as the cluster test trains on: spans of 12 rounds at 4 local steps.
python3 - "$here/data/fashion-mnist/train-images-idx3-ubyte.gz" "$work/d-idx3-ubyte.gz" <<'PY'
import gzip, struct, sys
with gzip.open(sys.argv[1], 'rb') as f:
    images = f.read()
n = 3000
with gzip.open(sys.argv[2], 'wb') as f:
    f.write(struct.pack('>IIII', 0x803, n, 28, 28) + images[16:16 + n * 784])
PY

log="$work/driver.log"
./submit.sh --master "$master_url" --conf spark.executor.memory=1g --conf spark.ui.enabled=false \
  --conf spark.scheduler.maxRegisteredResourcesWaitingTime=5s train --input "$work/d-idx3-ubyte.gz" \
  --test "$work/d-idx3-ubyte.gz" --epochs "$epochs" --hidden 64 --latent-dim 8 --batch-size 64 --local-steps 4 \
  --checkpoint-every 0 --output "$work/out" > "$log" 2>&1 &
run=$!
wait_for() {   # a pattern in the files given, for at most 3 minutes
  local pattern="$1"; shift
  for _ in $(seq 1 3600); do grep -rqs "$pattern" "$@" && return 0; sleep 0.05; done
  echo "no '$pattern' within 3 minutes" >&2; exit 1
}
wait_for "which exchanges its sums" "$work"/work*/
worker2="${pids[2]}"   # pids: the Master, Worker 1, Worker 2
pkill -KILL -P "$worker2" || true
kill -KILL "$worker2"
wait_for "auto goes on in jobs mode" "$log"
daemon worker3 org.apache.spark.deploy.worker.Worker "$master_url" --host 127.0.0.1 --cores 1 --memory 3g \
  --webui-port "$(free_port)" --work-dir "$work/work3"
wait "$run" || { cat "$log" >&2; exit 1; }
grep -E "rounds:|epoch [0-9]+/" "$log" \
  | sed -E 's/^([0-9:]+) [A-Z]+ [A-Za-z]+: /\1 /; s/train -ELBO [^)]*\)  //; s/  [0-9]+ examples\/s//; s/  elapsed.*//'
