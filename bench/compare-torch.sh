#!/usr/bin/env bash
# Side-by-side throughput and quality of the job against the single-process PyTorch reference, in one run.
#
#   bench/compare-torch.sh [epochs] [job options...]
#
# Runs ../shared/reference/torch_vae.py (same epochs, minibatch 128) with /usr/bin/python3, then the job's default
# run through submit.sh on the bundled Fashion-MNIST, then the model module alone (minibatch 128 split over 2
# threads, the single process's fastest configuration), twice: the job's number of steps from a cold JVM (JIT
# warm-up included, as in the job's figure) and warmed up. Prints the throughputs (training examples/s, start-up and
# evaluation excluded), their ratios, the job's steady state (epochs 3 on) against the warm module, the job's time
# per round split into compute and Spark overhead, and the peak resident memory of driver and executors. Needs
# Debian's python3-torch, python3-numpy and libopenblas0-pthread for the reference.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-10}"; shift || true
reference="${TORCH_REFERENCE:-$here/../shared/reference/torch_vae.py}"
out="$(mktemp -d)"

echo "== PyTorch reference: $epochs epochs, minibatch 128" >&2
/usr/bin/python3 "$reference" "$epochs" 128 "$here/data/fashion-mnist" | tee "$out/torch.txt" >&2
torch_rate=$(awk '/examples_per_s/ {for (i = 1; i <= NF; i++) if ($i == "examples_per_s") print $(i + 1)}' "$out/torch.txt")
torch_test=$(awk '/^epoch/ {v = $NF} END {print v}' "$out/torch.txt")

echo "== spark-vae: $epochs epochs, default settings $*" >&2
"$here/submit.sh" train --epochs "$epochs" --output "$out/run" "$@" 2>&1 | tee "$out/job.log" \
  | grep -E "epoch|error" >&2
# Training throughput from epoch $1 on, start-up and evaluation excluded: examples / training seconds.
job_throughput() {
  python3 -c "
import json; rows = [json.loads(l) for l in open('$out/run/metrics.jsonl')]
prev, total, secs = 0.0, 0.0, 0.0
for r in rows:
    if r['epoch'] >= $1:
        total += r['examples_per_sec'] * (r['train_sec'] - prev); secs += r['train_sec'] - prev
    prev = r['train_sec']
print(round(total / secs) if secs > 0 else 0)"
}
job_rate=$(job_throughput 1)     # the whole run
job_steady=$(job_throughput 3)   # steady state: epochs 3 on, once the JIT has compiled the hot loops
job_test=$(tail -1 "$out/run/metrics.jsonl" | sed -E 's/.*"test_neg_elbo":([0-9.]+).*/\1/')

steps=$(( (60000 + 127) / 128 * epochs ))   # the job's steps: the bundled 60,000 training images, minibatch 128
echo "== model module alone, one process, minibatch 128 split over 2 threads: $steps steps from a cold JVM" >&2
cold_rate=$(JAVA_OPTS="${JAVA_OPTS:-} -Dbench.cold-steps=$steps" "$here/bench/kernel.sh" 2 128 2>/dev/null \
  | awk '$1 == 128 {v = $4} END {print v}')
echo "== model module alone, warmed up" >&2
kernel_rate=$("$here/bench/kernel.sh" 2 128 2>/dev/null | awk '$1 == 128 {v = $3} END {print v}')

printf '\n%-28s %14s %14s\n' "" "examples/s" "test -ELBO"
printf '%-28s %14s %14.2f\n' "PyTorch reference (1 proc)" "$torch_rate" "$torch_test"
printf '%-28s %14s %14.2f\n' "spark-vae (local${*:+, $*})" "$job_rate" "$job_test"
printf '%-28s %14s %14s\n' "model module alone, cold" "$cold_rate" "-"
printf '%-28s %14s %14s\n' "spark-vae, epochs 3 on" "$job_steady" "-"
printf '%-28s %14s %14s\n' "model module alone, warm" "$kernel_rate" "-"
awk -v a="$job_rate" -v b="$torch_rate" 'BEGIN {printf "ratio spark-vae / PyTorch: %.2f\n", a / b}'
awk -v a="$job_rate" -v b="$cold_rate" 'BEGIN {printf "ratio spark-vae (2 partitions) / model module alone, same steps from cold: %.2f\n", a / b}'
awk -v a="$job_steady" -v b="$kernel_rate" 'BEGIN {printf "ratio spark-vae epochs 3 on / model module alone warm: %.2f\n", a / b}'
awk -v a="$kernel_rate" -v b="$torch_rate" 'BEGIN {printf "ratio model module alone (warm) / PyTorch (one process each): %.2f\n", a / b}'
echo "spark-vae $(awk -f "$here/bench/round-split.awk" "$out/job.log")"
python3 -c "
import json; m = json.load(open('$out/run/manifest.json'))['memory']
print('spark-vae peak resident memory: driver %.0f MiB, largest executor %.0f MiB (one process in local mode)' % (
    m['driver_peak_resident_bytes'] / 2**20, m['executor_peak_resident_bytes'] / 2**20))"
rm -rf "$out"
