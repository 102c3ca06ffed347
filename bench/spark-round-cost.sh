#!/usr/bin/env bash
# What a round costs in Spark alone (local mode): broadcast a vector, one task per partition returning a copy of it,
# merge on the driver, as the job's rounds do with the training taken out.
#   bench/spark-round-cost.sh [rounds] [floats per vector] [partitions]     (default: 300 1958472 2)
# BENCH_MAVEN_ARGS=-Pspark-4 measures the Spark 4 line (after a `mvn -Pspark-4 package`, for its JVM flags).
# `bench/spark-round-cost.sh 300 16` gives the cost of a job that moves almost nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck disable=SC2086  # BENCH_MAVEN_ARGS (e.g. -Pspark-4): Maven options, split into words
mvn -B -q ${BENCH_MAVEN_ARGS:-} -pl model,job -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
# The line just compiled; its JVM flags come from that line's package build (spark-runtime/target/<line>/).
line="$(sed -n 's/^spark.line=//p' job/target/classes/META-INF/spark-vae/spark-line.properties)"
read -r -a opens < "spark-runtime/target/$line/java17-opens.txt"   # the JVM flags, one line of words
exec java -Xmx4g "${opens[@]}" \
  -Dlog4j2.configurationFile="$here/conf/log4j2.properties" \
  -cp "job/target/classes:job/target/test-classes:model/target/classes:$(cat job/target/bench-classpath.txt)" \
  com.sparkvae.job.cluster.SparkRoundCost "$@"
