#!/usr/bin/env bash
# The default run on both Spark lines, side by side in one run, against the PyTorch reference.
#
#   bench/compare-lines.sh [epochs]
#
# Builds both lines if needed, runs ../shared/reference/torch_vae.py once (minibatch 128, /usr/bin/python3), then the
# job's default run (seed 1) on Spark 3.5 and on Spark 4 through submit.sh, then scores each line's model.zip with the
# other line's jar. Prints per line: test -ELBO, training examples/s and its ratio to PyTorch's; whether the two
# models' parameters are the same bytes; the cross-line scores; and the two application jars' sizes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-10}"
reference="${TORCH_REFERENCE:-$here/../shared/reference/torch_vae.py}"
out="$(mktemp -d)"
lines=(3.5_2.12 4.2_2.13)
cd "$here"
[[ -f job/target/spark-vae-app-3.5_2.12.jar ]] || mvn -B -q -DskipTests package
[[ -f job/target/spark-vae-app-4.2_2.13.jar ]] || mvn -B -q -DskipTests -Pspark-4 package

echo "== PyTorch reference: $epochs epochs, minibatch 128" >&2
/usr/bin/python3 "$reference" "$epochs" 128 "$here/data/fashion-mnist" | tee "$out/torch.txt" >&2
torch_rate=$(awk '/examples_per_s/ {for (i = 1; i <= NF; i++) if ($i == "examples_per_s") print $(i + 1)}' "$out/torch.txt")
torch_test=$(awk '/^epoch/ {v = $NF} END {print v}' "$out/torch.txt")

for line in "${lines[@]}"; do
  echo "== spark-vae on line $line: $epochs epochs, default settings" >&2
  SPARK_VAE_SPARK_LINE=$line ./submit.sh train --epochs "$epochs" --output "$out/run-$line" 2>&1 \
    | tee "$out/job-$line.log" | grep -E "epoch $epochs/|error|Spark line|no Spark installed" >&2
done
for i in 0 1; do
  model="${lines[$i]}"; scorer="${lines[$((1 - i))]}"
  echo "== the $model model scored by the $scorer jar" >&2
  SPARK_VAE_SPARK_LINE=$scorer ./submit.sh score --model "$out/run-$model" --samples 8 \
    --input data/fashion-mnist/t10k-images-idx3-ubyte.gz --output "$out/scores-$model-by-$scorer" 2>&1 \
    | grep -E "error|mean" >&2 || true
done

python3 - "$out" "$torch_rate" "$torch_test" "${lines[@]}" <<'PY'
import json, os, sys, zipfile
out, torch_rate, torch_test, lines = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
print(f"\n{'':28} {'examples/s':>12} {'test -ELBO':>12} {'/ PyTorch':>10}")
print(f"{'PyTorch reference':28} {torch_rate:12.0f} {torch_test:12.2f} {1:10.2f}")
params = {}
for line in lines:
    rows = [json.loads(l) for l in open(f"{out}/run-{line}/metrics.jsonl")]
    prev = total = secs = 0.0
    for r in rows:
        total += r["examples_per_sec"] * (r["train_sec"] - prev); secs += r["train_sec"] - prev; prev = r["train_sec"]
    rate = total / secs
    print(f"{'spark-vae, Spark ' + line:28} {rate:12.0f} {rows[-1]['test_neg_elbo']:12.2f} {rate / torch_rate:10.2f}")
    params[line] = zipfile.ZipFile(f"{out}/run-{line}/model.zip").read("parameters.bin")
same = params[lines[0]] == params[lines[1]]
print(f"parameters.bin of the two lines' models: {'the same bytes' if same else 'DIFFERENT'} ({len(params[lines[0]])} bytes)")
for i, model in enumerate(lines):
    scorer = lines[1 - i]
    ok = os.path.exists(f"{out}/scores-{model}-by-{scorer}/_SUCCESS")
    print(f"the {model} model scored by the {scorer} jar: {'done' if ok else 'FAILED'}")
for line in lines:
    print(f"job/target/spark-vae-app-{line}.jar: {os.path.getsize(f'job/target/spark-vae-app-{line}.jar') / 1e6:.1f} MB")
PY
echo "(runs in $out)"
