#!/usr/bin/env bash
# Training from a Parquet copy of the bundled Fashion-MNIST against training from the IDX file, in turns: the same
# 60,000 rows as 784 float columns beside an id column (--features 'p*'), as one array column (found by
# --features auto), and as IDX. Rows are packed once into blocks and cached, so the rounds should not care where
# they came from; the load (reading, checking, packing, counting) may.
#
#   bench/table-vs-idx.sh [groups] [train options...]          (default: 2 groups, 3 epochs)
#
# Prints, per run, the training examples/s of the last epoch (start-up, loading and evaluation excluded) and the
# seconds from Spark's start to the first round (reading, checking, packing and counting both sets), then the medians per source and their ratios to IDX.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
groups="${1:-2}"; shift || true
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cd "$here"

# The Parquet copies, written by IdxToParquet from the test classes.
# shellcheck disable=SC2086  # BENCH_MAVEN_ARGS (e.g. -Pspark-4): Maven options, split into words
mvn -B -q ${BENCH_MAVEN_ARGS:-} -pl model,job -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
line="$(sed -n 's/^spark.line=//p' job/target/classes/META-INF/spark-vae/spark-line.properties)"
read -r -a opens < "spark-runtime/target/$line/java17-opens.txt"
for set in train t10k; do
  java -Xmx4g "${opens[@]}" -Dlog4j2.configurationFile="$here/conf/log4j2.properties" \
    -cp "job/target/classes:job/target/test-classes:model/target/classes:$(cat job/target/bench-classpath.txt)" \
    com.sparkvae.job.data.IdxToParquet "data/fashion-mnist/$set-images-idx3-ubyte.gz" \
    "$out/$set-columns.parquet" "$out/$set-array.parquet" > "$out/convert.log" 2>&1 \
    || { tail -20 "$out/convert.log" >&2; exit 1; }
done

run() {   # $1 = name; the rest: train's data options. Prints: name examples/s seconds-before-the-first-round
  local name="$1" log
  shift
  log="$out/$name.log"
  "$here/submit.sh" train --epochs 3 --output "$out/run" --overwrite "$@" "${extra[@]}" > "$log" 2>&1 \
    || { tail -20 "$log" >&2; exit 1; }
  python3 - "$name" "$out/run/metrics.jsonl" "$log" <<'PY'
import json, re, sys
name, metrics, log = sys.argv[1:4]
rows = [json.loads(l) for l in open(metrics)]
text = open(log).read()
def secs(line): h, m, s = line[:8].split(':'); return int(h) * 3600 + int(m) * 60 + int(s)
lines = [l for l in text.splitlines() if l[:2].isdigit() and l[2:3] == ':']
start = next(l for l in lines if 'Main: application' in l)
load = next(l for l in lines if 'Trainer: training' in l)
print(f"{name} {rows[-1]['examples_per_sec']:.0f} {secs(load) - secs(start)}")
PY
}
extra=("$@")
for ((g = 1; g <= groups; g++)); do
  run idx --input data/fashion-mnist/train-images-idx3-ubyte.gz --test data/fashion-mnist/t10k-images-idx3-ubyte.gz
  run columns --input "$out/train-columns.parquet" --test "$out/t10k-columns.parquet" --features 'p*'
  run array --input "$out/train-array.parquet" --test "$out/t10k-array.parquet"
done | tee "$out/all.txt"
python3 - "$out/all.txt" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, eps, start = line.split()
    runs.setdefault(name, []).append((float(eps), float(start)))
idx = statistics.median(e for e, _ in runs['idx'])
for name, rs in runs.items():
    eps = statistics.median(e for e, _ in rs)
    start = statistics.median(s for _, s in rs)
    print(f"median {name}: {eps:.0f} examples/s ({eps / idx:.3f} of idx), {start:.0f} s from Spark's start to the first round")
PY
