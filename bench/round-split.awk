# The job's time per round split into compute and Spark overhead, from the log's per-epoch lines
# "epoch N: R rounds, T ms each: C ms computing ...", over epochs `from` (default 1) on:
#   awk [-v from=3] -f bench/round-split.awk job.log
/ rounds, .* ms each: / {
  for (i = 1; i <= NF; i++) {
    if ($i == "rounds,") r = $(i - 1)
    if ($i == "each:") t = $(i - 2)
    if ($i == "computing") c = $(i - 2)
    if ($i == "epoch") e = $(i + 1)
  }
  sub(":", "", e)
  if (e + 0 >= from + 0) { rounds += r; total += r * t; compute += r * c }
}
END {
  if (rounds > 0)
    printf "per round%s: %.1f ms, of which %.1f ms computing in the slowest task and %.1f ms (%.0f%%) Spark overhead\n",
      (from + 0 > 1 ? ", epochs " from " on" : ""), total / rounds, compute / rounds, (total - compute) / rounds,
      100 * (total - compute) / total
}
