#!/usr/bin/env bash
# Quality as partitions grow: trains on the bundled Fashion-MNIST with 1, 2, 4, 8 and 16 partitions at 128 points per
# partition per step (global minibatch 128 × P), default schedule, and writes docs/partition-sweep.md (tables) and
# docs/partition-sweep.png (held-out negative ELBO per epoch for each partition count).
#
#   bench/partition-sweep.sh [epochs] [partition counts...]      (default: 16 epochs; 1 2 4 8 16)
#
# SWEEP_ROUNDS=stage sweeps --rounds stage instead (its own schedule, docs/schedule.md), each run with a task slot per
# partition (--master local[P]), into docs/partition-sweep-stage.md and .png.
#
# About 10 minutes on a 2-core machine. The runs stay under runs/partition-sweep/ (replaced by the next sweep).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
epochs="${1:-16}"; shift || true
if [[ $# -gt 0 ]]; then counts=("$@"); else counts=(1 2 4 8 16); fi
target=245.0
rounds="${SWEEP_ROUNDS:-jobs}"
case "$rounds" in
  jobs) name=partition-sweep ;;
  stage) name=partition-sweep-stage ;;
  *) echo "SWEEP_ROUNDS must be jobs or stage, not $rounds" >&2; exit 2 ;;
esac
out="$here/runs/$name"
rm -rf "$out"

# The application jar for submit.sh, and the report's class path (job's test classes and dependencies).
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >&2

runs=()
for p in "${counts[@]}"; do
  echo "== $p partitions, global minibatch $((128 * p)), $epochs epochs" >&2
  start=$(date +%s)
  spark=()
  [[ "$rounds" == stage ]] && spark=(--master "local[$p]")
  "$here/submit.sh" ${spark[@]+"${spark[@]}"} train --rounds "$rounds" --partitions "$p" --batch-size $((128 * p)) \
    --epochs "$epochs" --output "$out/p$p" 2>&1 | grep -E "schedule for|test -ELBO|error" >&2
  echo "   $(( $(date +%s) - start )) s including start-up" >&2
  runs+=("$out/p$p")
done

java -cp "job/target/test-classes:job/target/classes:$(cat job/target/bench-classpath.txt)" \
  com.sparkvae.job.report.PartitionSweepReport "docs/$name" "$target" \
  "${SWEEP_ROUNDS:+SWEEP_ROUNDS=$rounds }bench/partition-sweep.sh $epochs ${counts[*]}" "${runs[@]}"
cat "docs/$name.md"
