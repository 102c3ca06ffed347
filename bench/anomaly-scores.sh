#!/usr/bin/env bash
# Anomaly scores against peers, in one run: on Fashion-MNIST leave-one-class-out (train on the 60,000 training images
# of nine classes, score the 10,000 test images, AUROC of the left-out class as the anomalies) and on a small real
# tabular set (sklearn's bundled breast-cancer data: the job trained with --likelihood gaussian on two thirds of the
# benign rows, the held-out benign rows and every malignant one scored, malignant the anomalies).
#
#   bench/anomaly-scores.sh [epochs] [class ...]          (default: 5 epochs, classes 0 to 9; "none": no split)
#
# Per split, the job trains with submit.sh in local mode (local[2], --partitions 2, the given epochs, other options
# at their defaults) and scores the test rows twice: once with the model's --score-type (excess, the default),
# which writes -log p(x) (neg_log_likelihood, 64 importance samples) and excess (anomaly_score), and once with
# --score-type recon (--samples 1: recon does not use the importance samples). The peers run with /usr/bin/python3
# on the same split: sklearn's IsolationForest (200 trees) and PCA (20 components) reconstruction error, on the
# pixels scaled to [0, 1] (Fashion-MNIST) or on standardised features (breast cancer). AUROC by
# sklearn.metrics.roc_auc_score. Prints one line per split as it finishes (also appended to $out/results.tsv) and a
# Markdown table with the means at the end. Needs python3-sklearn, python3-numpy and Debian's dataset-fashion-mnist
# (labelled files in /usr/share/datasets/fashion-mnist). Keeps its files in $BENCH_OUT (default: a temporary
# directory, removed at the end).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-5}"; shift || true
classes=("$@")
if [[ ${#classes[@]} -eq 0 ]]; then classes=(0 1 2 3 4 5 6 7 8 9); fi
if [[ "${classes[*]}" == none ]]; then classes=(); fi
labelled=/usr/share/datasets/fashion-mnist
py=/usr/bin/python3
if [[ -n "${BENCH_OUT:-}" ]]; then
  out="$BENCH_OUT"; mkdir -p "$out"
else
  out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
fi
cd "$here"
names=(t-shirt trouser pullover dress coat sandal shirt sneaker bag boot)

# The job through submit.sh (which builds it if needed), its log in $out/submit.log, shown when it fails.
submit() {
  "$here/submit.sh" --master 'local[2]' "$@" > "$out/submit.log" 2>&1 || { tail -20 "$out/submit.log" >&2; exit 1; }
}
# Columns $2 of the Parquet scores at $1, as CSV on stdout, by the build's Parquet reader.
columns() {
  local line
  line="$(sed -n 's/^spark.line=//p' job/target/classes/META-INF/spark-vae/spark-line.properties)"
  java -cp "$(cat "spark-runtime/target/$line/spark-classpath.txt")" bench/ParquetColumns.java "$1" "$2" 2>/dev/null
}
# Trains on $1 for $4 epochs (options $5...) into $2/run and scores $3 into $2/excess.csv and $2/recon.csv.
train_and_score() {
  local data="$1" dir="$2" test="$3" n="$4"; shift 4
  submit train --input "$data" --output "$dir/run" --partitions 2 --epochs "$n" "$@"
  submit score --model "$dir/run" --input "$test" --output "$dir/excess"
  submit score --model "$dir/run" --input "$test" --output "$dir/recon" --score-type recon --samples 1
  columns "$dir/excess" row_id,neg_log_likelihood,anomaly_score > "$dir/excess.csv"
  columns "$dir/recon" row_id,anomaly_score > "$dir/recon.csv"
}

# The AUROCs of one split: the job's scores in $1/excess.csv and $1/recon.csv, the peers fitted on the training
# rows, with labels (1 for an anomaly) in row order.
aurocs() {
  "$py" - "$@" <<'PY'
import sys
import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
d = sys.argv[1]
train, test, labels = (np.load(f'{d}/{n}.npy') for n in ('train', 'test', 'labels'))
def by_row(path, col):
    a = np.genfromtxt(path, delimiter=',', names=True)
    return a[col][np.argsort(a['row_id'])]
nll = by_row(f'{d}/excess.csv', 'neg_log_likelihood')
excess = by_row(f'{d}/excess.csv', 'anomaly_score')
recon = by_row(f'{d}/recon.csv', 'anomaly_score')
pca = PCA(min(20, train.shape[1]), random_state=0).fit(train)
pca_err = ((pca.inverse_transform(pca.transform(test)) - test) ** 2).sum(1)
iforest = -IsolationForest(n_estimators=200, random_state=0).fit(train).score_samples(test)
scores = [nll, excess, recon, iforest, pca_err]
print('\t'.join(f'{roc_auc_score(labels, s):.3f}' for s in scores))
PY
}

printf 'split\tnll\texcess\trecon\tIForest200\tPCA20\n' > "$out/results.tsv"
for c in "${classes[@]+"${classes[@]}"}"; do
  dir="$out/fashion-$c"; mkdir -p "$dir"
  "$py" - "$labelled" "$dir" "$c" <<'PY'
import gzip, struct, sys
import numpy as np
src, dst, c = sys.argv[1], sys.argv[2], int(sys.argv[3])
def idx(name, images):
    with gzip.open(f'{src}/{name}', 'rb') as f:
        if images:
            _, n, rows, cols = struct.unpack('>IIII', f.read(16))
            return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)
        f.read(8)
        return np.frombuffer(f.read(), dtype=np.uint8)
x, y = idx('train-images-idx3-ubyte.gz', True), idx('train-labels-idx1-ubyte.gz', False)
xt, yt = idx('t10k-images-idx3-ubyte.gz', True), idx('t10k-labels-idx1-ubyte.gz', False)
kept = x[y != c]
with gzip.open(f'{dst}/nine-idx3-ubyte.gz', 'wb') as f:
    f.write(struct.pack('>IIII', 0x803, len(kept), 28, 28)); f.write(kept.tobytes())
np.save(f'{dst}/train.npy', kept.astype(np.float32) / 255)
np.save(f'{dst}/test.npy', xt.astype(np.float32) / 255)
np.save(f'{dst}/labels.npy', (yt == c).astype(int))
PY
  start=$SECONDS
  train_and_score "$dir/nine-idx3-ubyte.gz" "$dir" "$labelled/t10k-images-idx3-ubyte.gz" "$epochs"
  line="$(aurocs "$dir")"
  printf '%s\t%s\n' "fashion $c ${names[c]}" "$line" | tee -a "$out/results.tsv"
  echo "  (split $c: $((SECONDS - start)) s)" >&2
done

# Breast cancer: 357 benign and 212 malignant rows of 30 features.
dir="$out/breast-cancer"; mkdir -p "$dir"
"$py" - "$dir" <<'PY'
import sys
import numpy as np
from sklearn.datasets import load_breast_cancer
d = sys.argv[1]
data = load_breast_cancer()
x, malignant = data.data, data.target == 0
benign = np.flatnonzero(~malignant)
rng = np.random.default_rng(0)
rng.shuffle(benign)
fit = benign[: len(benign) * 2 // 3]
test = np.concatenate([benign[len(benign) * 2 // 3:], np.flatnonzero(malignant)])
header = ','.join(f'f{j}' for j in range(x.shape[1]))
np.savetxt(f'{d}/train.csv', x[fit], delimiter=',', header=header, comments='', fmt='%.6g')
np.savetxt(f'{d}/test.csv', x[test], delimiter=',', header=header, comments='', fmt='%.6g')
mean, sd = x[fit].mean(0), x[fit].std(0)
np.save(f'{d}/train.npy', (x[fit] - mean) / sd)
np.save(f'{d}/test.npy', (x[test] - mean) / sd)
np.save(f'{d}/labels.npy', malignant[test].astype(int))
PY
train_and_score "$dir/train.csv" "$dir" "$dir/test.csv" 100 --likelihood gaussian --hidden 32 --latent-dim 4 \
  --batch-size 32
printf '%s\t%s\n' "breast cancer (gaussian, 100 epochs)" "$(aurocs "$dir")" | tee -a "$out/results.tsv"

# The table, with the mean over the Fashion-MNIST splits.
awk -F'\t' 'NR == 1 {n = NF; printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; printf "\n|"
                     for (i = 1; i <= NF; i++) printf "---|"; printf "\n"; next}
            {printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; printf "\n"}
            /^fashion/ {k++; for (i = 2; i <= NF; i++) s[i] += $i}
            END {if (k) {printf "| mean of %d Fashion-MNIST splits |", k
                 for (i = 2; i <= n; i++) printf " %.3f |", s[i] / k; printf "\n"}}' "$out/results.tsv"
