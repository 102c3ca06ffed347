#!/usr/bin/env bash
# Runs the spark-vae job through spark-submit.
#
#   ./submit.sh [spark-submit options] [train] [job options]
#
# spark-submit options (--master, --deploy-mode, --conf spark.*=..., --executor-memory, ...) pass through unchanged;
# --master defaults to local[*]. Everything from the command word (or the first option that is not spark-submit's)
# on goes to the job. `--conf FILE` is the job's config file; `--conf spark.x=y` is spark-submit's.
# With no arguments: builds the project if needed (no jar yet, or sources newer than it) and trains on the bundled
# Fashion-MNIST into runs/<timestamp>/.
#
# Uses spark-submit from $SPARK_HOME or the PATH when there is one; otherwise runs Spark's own SparkSubmit class from
# the jars of the Maven build, so a local run needs no Spark installation.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app_jar="$here/job/target/spark-vae-app.jar"
spark_cp="$here/spark-runtime/target/spark-classpath.txt"
spark_opens="$here/spark-runtime/target/java17-opens.txt"
main_class="com.sparkvae.job.cli.Main"

spark_args=()
job_args=()
master_given=false
# spark-submit options that take a value, and those that do not.
valued=" --master --deploy-mode --class --name --jars --packages --exclude-packages --repositories --py-files --files
 --archives --properties-file --driver-memory --driver-java-options --driver-library-path --driver-class-path
 --driver-cores --executor-memory --executor-cores --total-executor-cores --num-executors --queue --principal
 --keytab --proxy-user "
flags=" --verbose -v --supervise "

while [[ $# -gt 0 ]]; do
  a="$1"
  case "$a" in
    train|score|sample)
      job_args+=("$@"); break ;;
    --conf|-c)
      # spark-submit's --conf takes key=value with a spark.* key; the job's --conf takes a file.
      if [[ $# -ge 2 && "$2" == spark.*=* ]]; then spark_args+=("--conf" "$2"); shift 2; continue; fi
      job_args+=("$@"); break ;;
    --conf=spark.*)
      spark_args+=("--conf" "${a#--conf=}"); shift; continue ;;
    --master=*) master_given=true; spark_args+=("$a"); shift; continue ;;
    *)
      if [[ "$valued" == *" $a "* || "$valued" == *" ${a%%=*} "* && "$a" == *=* ]]; then
        [[ "$a" == --master* ]] && master_given=true
        if [[ "$a" == *=* ]]; then spark_args+=("$a"); shift; continue; fi
        if [[ $# -lt 2 ]]; then echo "submit.sh: $a needs a value" >&2; exit 2; fi
        spark_args+=("$a" "$2"); shift 2; continue
      fi
      if [[ "$flags" == *" $a "* ]]; then spark_args+=("$a"); shift; continue; fi
      job_args+=("$@"); break ;;
  esac
done
$master_given || spark_args=(--master "local[*]" "${spark_args[@]+"${spark_args[@]}"}")

# A source or build file newer than the jar: the checkout changed (a pull, an edit) since the last build, and
# running the old jar would train with the old code.
changed_since_build() {
  local sources=()
  for f in "$here/pom.xml" "$here"/{model,spark-runtime,job}/pom.xml "$here"/{model,job}/src/main; do
    [[ -e "$f" ]] && sources+=("$f")
  done
  [[ ${#sources[@]} -gt 0 && -n "$(find "${sources[@]}" -type f -newer "$app_jar" -print -quit 2>/dev/null)" ]]
}
# Maven 3.8 prints colour resets even in batch mode; they are stripped so the log stays plain text.
build() {
  echo "submit.sh: $1 (mvn package, tests skipped)..." >&2
  (cd "$here" && mvn -B -q -DskipTests package) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
}
if [[ ! -f "$app_jar" || ! -f "$spark_cp" || ! -f "$spark_opens" ]]; then
  build "building the application jar"
elif changed_since_build; then
  build "sources changed since the application jar was built; rebuilding it"
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# OpenBLAS's kernels for this CPU, for the JVM that computes in local mode (executors elsewhere: README, cluster).
source "$here/conf/openblas-env.sh"
cd "$here"   # relative paths in conf/vae.conf (the bundled data, runs/) are relative to the project
if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  submit=("$SPARK_HOME/bin/spark-submit")
elif command -v spark-submit >/dev/null 2>&1; then
  submit=("$(command -v spark-submit)")
else
  # No Spark installation: run SparkSubmit from the build's Spark jars, with the JVM flags Spark needs on Java 17.
  read -r -a opens < "$spark_opens"   # the parent pom's spark.java17.opens, written by the build
  submit=(java "${opens[@]}" ${SPARK_VAE_DRIVER_OPTS:--Xmx4g} -Dlog4j2.configurationFile="$here/conf/log4j2.properties"
    -cp "$(cat "$spark_cp")" org.apache.spark.deploy.SparkSubmit)
fi

cmd=("${submit[@]}" "${spark_args[@]}" --class "$main_class" "$app_jar" "${job_args[@]+"${job_args[@]}"}")
# Print the command, with the long class path elided.
printf 'submit.sh:' >&2
for w in "${cmd[@]}"; do
  if [[ ${#w} -gt 200 ]]; then printf ' %s' "${w:0:60}...(${#w} chars)" >&2; else printf ' %q' "$w" >&2; fi
done
printf '\n' >&2
exec "${cmd[@]}"
