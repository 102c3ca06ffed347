#!/usr/bin/env bash
# Measured in alternation: the job's default run (2 partitions sharing minibatch 128, local mode, 10
# epochs) against the model module alone doing the same 4690 steps from a cold JVM (minibatch 128 split over 2
# threads, bench/kernel.sh), and against the job's own algorithm run in one process without Spark (2 replicas of one
# thread each taking 64 of every minibatch, averaged every 128 steps: bench/kernel.sh with -Dbench.replicas=2). The
# three take turns, so that the machine's drift (20-40% from run to run here) falls on all of them.
#
#   bench/job-vs-module.sh [groups] [job options...]          (default: 5 groups of three runs)
#
# Each group prints the three throughputs (training examples/s, start-up and evaluation excluded) and three ratios:
# job / module, averaging / module (what parameter averaging itself costs, or saves, in one process) and
# job / averaging (what running it in Spark costs); then job / module and job / averaging again over the last seven
# tenths (epochs 4-10 against the tenths 4-10 of the in-process runs, once the JITs have settled); then the medians.
# The order within a group rotates.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
groups="${1:-5}"; shift || true
epochs=10
steps=$(( (60000 + 127) / 128 * epochs ))   # the job's steps: the bundled 60,000 training images, minibatch 128
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

in_process() {   # seconds of the whole run, then of each tenth, on one line; $1 = -Dbench.replicas
  JAVA_OPTS="${JAVA_OPTS:-} -Dbench.cold-steps=$steps -Dbench.replicas=$1" "$here/bench/kernel.sh" 2 128 2>/dev/null \
    | awk '$1 == 128 {s = $3} $1 == "tenths" {$1 = ""; t = $0} END {print s t}'
}
job() {          # examples and seconds of the whole run, then of epochs 4 on, on one line
  "$here/submit.sh" train --epochs "$epochs" --output "$out/run" --overwrite "$@" > "$out/job.log" 2>&1 \
    || { tail -20 "$out/job.log" >&2; exit 1; }
  # Its rounds: the first and last epoch's split of a round, and the local steps auto chose, on stderr.
  grep -E 'local steps \(auto|Trainer: epoch (1|'"$epochs"'): [0-9]+ rounds|epoch '"$epochs/$epochs" "$out/job.log" \
    | sed 's/^/  job: /' >&2 || true
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

printf '%-5s %11s %11s %11s %10s %10s %10s %10s %10s\n' group "module" "averaging" "job" "job/mod" "avg/mod" \
  "job/avg" "j/m 4-10" "j/a 4-10"
cols=(job_mod avg_mod job_avg job_mod4 job_avg4)
declare -A all
for ((i = 1; i <= groups; i++)); do
  case $(( i % 3 )) in
    1) m=$(in_process 1); a=$(in_process 2); j=$(job "$@") ;;
    2) a=$(in_process 2); j=$(job "$@"); m=$(in_process 1) ;;
    0) j=$(job "$@"); m=$(in_process 1); a=$(in_process 2) ;;
  esac
  line=$(python3 -c "
m = [float(x) for x in '$m'.split()]; a = [float(x) for x in '$a'.split()]; j = [float(x) for x in '$j'.split()]
ex = $steps * 128
mod, avg, job = ex / m[0], ex / a[0], j[0] / j[1]
mod4, avg4, job4 = 0.7 * ex / sum(m[4:11]), 0.7 * ex / sum(a[4:11]), j[2] / j[3]
print('%.0f %.0f %.0f %.3f %.3f %.3f %.3f %.3f' % (mod, avg, job, job / mod, avg / mod, job / avg, job4 / mod4,
                                                   job4 / avg4))")
  read -r mod avg jobr r1 r2 r3 r4 r5 <<< "$line"
  printf '%-5s %11s %11s %11s %10s %10s %10s %10s %10s\n' "$i" "$mod" "$avg" "$jobr" "$r1" "$r2" "$r3" "$r4" "$r5"
  all[job_mod]+=" $r1"; all[avg_mod]+=" $r2"; all[job_avg]+=" $r3"; all[job_mod4]+=" $r4"; all[job_avg4]+=" $r5"
done
median() { printf '%s\n' $1 | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
printf '%-5s %11s %11s %11s' median "" "" ""
for c in "${cols[@]}"; do printf ' %10s' "$(median "${all[$c]}")"; done
echo
