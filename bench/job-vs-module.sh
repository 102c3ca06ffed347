#!/usr/bin/env bash
# Bar 2 of issue 5, measured in pairs: the job's default run (2 partitions sharing minibatch 128, local mode, 10
# epochs) against the model module alone doing the same 4690 steps from a cold JVM (minibatch 128 split over 2
# threads, bench/kernel.sh), alternately, so that the machine's drift (20-40% from run to run here) falls on both.
#
#   bench/job-vs-module.sh [pairs] [job options...]          (default: 5 pairs)
#
# Each pair prints the two throughputs (training examples/s, start-up and evaluation excluded) and the job's ratio to
# the module, over the whole run and over its last seven tenths (epochs 4-10 against the module's tenths 4-10, once
# both JITs have settled); then the medians of the ratios. The order within a pair alternates: module first in odd
# pairs, job first in even ones.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-5}"; shift || true
epochs=10
steps=$(( (60000 + 127) / 128 * epochs ))   # the job's steps: the bundled 60,000 training images, minibatch 128
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

module() {   # seconds of the whole run, then of each tenth, on one line
  JAVA_OPTS="${JAVA_OPTS:-} -Dbench.cold-steps=$steps" "$here/bench/kernel.sh" 2 128 2>/dev/null \
    | awk '$1 == 128 {s = $3} $1 == "tenths" {$1 = ""; t = $0} END {print s t}'
}
job() {      # examples and seconds of the whole run, then of epochs 4 on, on one line
  "$here/submit.sh" train --epochs "$epochs" --output "$out/run" --overwrite "$@" > "$out/job.log" 2>&1 \
    || { tail -20 "$out/job.log" >&2; exit 1; }
  python3 -c "
import json
rows = [json.loads(l) for l in open('$out/run/metrics.jsonl')]
prev, ex, secs, ex4, secs4 = 0.0, 0.0, 0.0, 0.0, 0.0
for r in rows:
    s = r['train_sec'] - prev; prev = r['train_sec']
    ex += r['examples_per_sec'] * s; secs += s
    if r['epoch'] >= 4: ex4 += r['examples_per_sec'] * s; secs4 += s
print(ex, secs, ex4, secs4)"
}

printf '%-5s %14s %14s %8s %16s %16s %8s\n' pair "module ex/s" "job ex/s" ratio "module 4-10" "job 4-10" ratio
ratios=(); steady=()
for ((i = 1; i <= pairs; i++)); do
  if (( i % 2 == 1 )); then m=$(module); j=$(job "$@"); else j=$(job "$@"); m=$(module); fi
  line=$(python3 -c "
m = [float(x) for x in '$m'.split()]; j = [float(x) for x in '$j'.split()]
mod, mod4 = $steps * 128 / m[0], 0.7 * $steps * 128 / sum(m[4:11])
job, job4 = j[0] / j[1], j[2] / j[3]
print('%.0f %.0f %.3f %.0f %.0f %.3f' % (mod, job, job / mod, mod4, job4, job4 / mod4))")
  read -r mod jobr ratio mod4 job4 ratio4 <<< "$line"
  printf '%-5s %14s %14s %8s %16s %16s %8s\n' "$i" "$mod" "$jobr" "$ratio" "$mod4" "$job4" "$ratio4"
  ratios+=("$ratio"); steady+=("$ratio4")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
echo "median ratio, job / module: whole run $(median "${ratios[@]}"), epochs 4-10 $(median "${steady[@]}")"
