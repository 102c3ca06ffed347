#!/usr/bin/env bash
# The two round modes side by side: for each setting, runs `train --rounds jobs` and `--rounds stage` in turn,
# ALTERNATIONS times, and prints for each run the mean round over epochs 3 on (over the last epoch when there are
# fewer than 3: the first ones run before the JIT compilers have settled), split into the slowest task's compute
# and the part beyond it (bench/round-split.awk), the last epoch's training examples/s and the final test -ELBO.
#
#   bench/rounds-side-by-side.sh [alternations] [epochs] [setting...]     (default: 2 alternations, 6 epochs,
#                                                                            settings local2 local16 standalone2)
#
# Settings (Fashion-MNIST as bundled unless said; both modes take the same options, so the same steps):
#   local2       local[2], 2 partitions, the default minibatch of 128, --local-steps 128
#   local16      local[16], 16 partitions, --batch-size 2048 (128 a partition), --local-steps 16
#   standalone2  a standalone cluster on loopback (bench/standalone-cluster.sh: a Master and two one-core Workers,
#                each partition in its own executor JVM), 2 partitions, the default minibatch, --local-steps 128
#   standalone16 the same cluster and partitions at --local-steps 16: 30 rounds an epoch instead of 4, so a span's
#                fixed cost (its launch, the broadcast, the state back) weighs less against a round's own exchange
#   standalone4  the same cluster with WORKERS=4 (four one-core Workers, so four executor JVMs whose leaders sum
#                each round among four), 4 partitions of 32 (the default minibatch), --local-steps 32
#   default2     local[16], 2 partitions, every other option at its default (the default run)
#   b512x16      local[16], 16 partitions, --batch-size 512 (32 a partition), the default schedule
#   jitter2      local[2], 2 partitions of 128 (--batch-size 256) on $JITTER_INPUT, the default schedule
#   jitter8      local[8], 8 partitions of 128 (--batch-size 1024) on $JITTER_INPUT, the default schedule
#   jitter32     local[32], 32 partitions of 128 (--batch-size 4096) on $JITTER_INPUT, the default schedule
# JITTER_INPUT: a larger training set, e.g. from bench/jitter-fashion-mnist.py (ten jittered copies of each image);
# its held-out set is the bundled test set. Further job options after the settings go to every run, after `--`:
#   bench/rounds-side-by-side.sh 2 6 local2 -- --seed 2
# BENCH_MAVEN_ARGS=-Pspark-4 builds and runs the Spark 4 line; BENCH_NO_BUILD=1 runs the jar as it was last built.
# Every run of one setting shares the machine in the same way, so compare the modes within a setting.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
alternations="${1:-2}"; shift || true
epochs="${1:-6}"; shift || true
from=$(( epochs < 3 ? epochs : 3 ))
settings=()
while [[ $# -gt 0 && "$1" != "--" ]]; do settings+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
[[ ${#settings[@]} -gt 0 ]] || settings=(local2 local16 standalone2)

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  # shellcheck disable=SC2086  # BENCH_MAVEN_ARGS (e.g. -Pspark-4): Maven options, split into words
  mvn -B -q -DskipTests ${BENCH_MAVEN_ARGS:-} package >&2
fi
source bench/standalone-cluster.sh
export SPARK_LOCAL_IP=127.0.0.1
data="file://$here/data/fashion-mnist"   # absolute: executors run in their own working directories
results="$work/results.txt"

# One run: setting, mode; prints its result line and keeps the job's log under $work.
run() {
  local setting="$1" mode="$2" master opts=() log="$work/$1-$2-$3.log" input="$data/train-images-idx3-ubyte.gz"
  shift 3
  case "$setting" in
    local2) master="local[2]"; opts=(--partitions 2 --local-steps 128) ;;
    local16) master="local[16]"; opts=(--partitions 16 --batch-size 2048 --local-steps 16) ;;
    default2) master="local[16]"; opts=(--partitions 2) ;;
    b512x16) master="local[16]"; opts=(--partitions 16 --batch-size 512) ;;
    standalone2|standalone16)
      [[ -n "${master_url:-}" ]] || start_standalone_cluster
      local steps=16
      [[ $setting == standalone2 ]] && steps=128
      master="$master_url"; opts=(--partitions 2 --local-steps "$steps") ;;
    standalone4)
      [[ ${WORKERS:-2} -ge 4 ]] || { echo "standalone4 needs WORKERS=4 (four executor JVMs)" >&2; exit 2; }
      [[ -n "${master_url:-}" ]] || start_standalone_cluster
      master="$master_url"; opts=(--partitions 4 --local-steps 32) ;;
    jitter2|jitter8|jitter32)
      [[ -n "${JITTER_INPUT:-}" ]] || { echo "$setting needs JITTER_INPUT (bench/jitter-fashion-mnist.py)" >&2; exit 2; }
      local p="${setting#jitter}"
      master="local[$p]"; opts=(--partitions "$p" --batch-size $((128 * p))); input="$JITTER_INPUT" ;;
    *) echo "unknown setting $setting" >&2; exit 2 ;;
  esac
  local spark_opts=()
  [[ "$setting" == standalone* ]] && spark_opts=(--executor-memory 2500m)
  SPARK_VAE_DRIVER_OPTS="${SPARK_VAE_DRIVER_OPTS:--Xmx6g}" "$here/submit.sh" --master "$master" "${spark_opts[@]}" \
    train --epochs "$epochs" --input "$input" --test "$data/t10k-images-idx3-ubyte.gz" \
    "${opts[@]}" --rounds "$mode" --output "$work/run-$setting-$mode" --overwrite "$@" > "$log" 2>&1 \
    || { tail -20 "$log" >&2; exit 1; }
  local split elbo rate epoch_s
  split="$(awk -v from="$from" -f bench/round-split.awk "$log" \
    | sed -E 's/.*: ([0-9.]+) ms, of which ([0-9.]+) ms computing.* and ([0-9.]+) ms \(([0-9]+)%\).*/\1 \2 \3 \4/')"
  elbo="$(grep -oE "test -ELBO [0-9.]+" "$log" | tail -1 | awk '{ print $3 }')"
  rate="$(grep -oE "epoch $epochs/$epochs .* [0-9]+ examples/s" "$log" | grep -oE "[0-9]+ examples/s$" | awk '{ print $1 }')"
  # Seconds from the first epoch's end to the last's (rounds and evaluations), per epoch.
  epoch_s="$(grep -E "epoch [0-9]+/$epochs " "$log" | grep -oE "elapsed [0-9]+s" | tr -dc '0-9\n' \
    | awk 'NR == 1 { first = $1 } { last = $1; n = NR } END { if (n > 1) printf "%.1f", (last - first) / (n - 1) }')"
  set -- $split   # round, compute, beyond, its share
  printf "%-12s %-6s round %7.1f ms  compute %7.1f ms  beyond %6.1f ms (%d%%)  last epoch %6d examples/s  %s s/epoch  test -ELBO %s  (%s)\n" \
    "$setting" "$mode" "$1" "$2" "$3" "$4" "$rate" "${epoch_s:--}" "$elbo" "$(date -u +%H:%M)" | tee -a "$results"
}

echo "== rounds side by side: $alternations alternations of ${settings[*]}, $epochs epochs each, rounds from epoch $from on $*" >&2
for setting in "${settings[@]}"; do
  for a in $(seq 1 "$alternations"); do
    run "$setting" jobs "$a" "$@"
    run "$setting" stage "$a" "$@"
  done
done
echo "== means over the alternations (round, compute, beyond compute in ms; examples/s)"
awk '{ k = $1 " " $2; n[k]++; r[k] += $4; c[k] += $7; b[k] += $10; x[k] += $15 }
  END { for (k in n) printf "%-20s round %7.1f  compute %7.1f  beyond %6.1f  examples/s %6.0f  (%d runs)\n",
        k, r[k] / n[k], c[k] / n[k], b[k] / n[k], x[k] / n[k], n[k] }' "$results" | sort
