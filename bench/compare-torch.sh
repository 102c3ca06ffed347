#!/usr/bin/env bash
# Side-by-side throughput and quality of the job against the single-process PyTorch reference, in one run.
#
#   bench/compare-torch.sh [epochs] [job options...]
#
# Runs ../shared/reference/torch_vae.py (same epochs, minibatch 128) with /usr/bin/python3, then the job's default
# run through submit.sh on the bundled Fashion-MNIST, and prints both figures and their ratio. Needs Debian's
# python3-torch, python3-numpy and libopenblas0-pthread for the reference.
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
"$here/submit.sh" train --epochs "$epochs" --output "$out/run" "$@" 2>&1 | grep -E "epoch|error" >&2
# Training throughput over the whole run, start-up and evaluation excluded: examples / training seconds.
job_rate=$(python3 -c "
import json; rows = [json.loads(l) for l in open('$out/run/metrics.jsonl')]
prev, total = 0.0, 0.0
for r in rows:
    total += r['examples_per_sec'] * (r['train_sec'] - prev); prev = r['train_sec']
print(round(total / rows[-1]['train_sec']))")
job_test=$(tail -1 "$out/run/metrics.jsonl" | sed -E 's/.*"test_neg_elbo":([0-9.]+).*/\1/')

echo "== model module alone, one process: minibatch 128, 2 ND4J threads" >&2
kernel_rate=$("$here/bench/kernel.sh" 2 128 2>/dev/null | awk '$1 == 128 {print $3}')

printf '\n%-28s %14s %14s\n' "" "examples/s" "test -ELBO"
printf '%-28s %14s %14.2f\n' "PyTorch reference (1 proc)" "$torch_rate" "$torch_test"
printf '%-28s %14s %14.2f\n' "spark-vae (local, default)" "$job_rate" "$job_test"
printf '%-28s %14s %14s\n' "model module alone (1 proc)" "$kernel_rate" "-"
awk -v a="$job_rate" -v b="$torch_rate" 'BEGIN {printf "ratio spark-vae / PyTorch: %.2f\n", a / b}'
awk -v a="$job_rate" -v b="$kernel_rate" 'BEGIN {printf "ratio spark-vae (2 partitions) / model module alone: %.2f\n", a / b}'
rm -rf "$out"
