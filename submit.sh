#!/usr/bin/env bash
# Runs the spark-vae job through spark-submit.
#
#   ./submit.sh [spark-submit options] [train|score|sample|--] [job options]
#
# The first argument that is train, score, sample or -- ends spark-submit's options (a value of one of spark-submit's
# options that take one is not a command: `--name train`). The arguments before it go to spark-submit unchanged,
# whatever they are; the command word and those after it go to the job (-- itself goes nowhere: the job's arguments
# follow it, their command train when they name none). With neither, the arguments are spark-submit's options when
# they all are (`./submit.sh --master local[2]`), and the job's when none is (`./submit.sh --epochs 1`); the command
# is then train, and a list that mixes the two is refused in one line. --master defaults to local[*].
# `--conf FILE` is the job's config file; `--conf spark.x=y` is spark-submit's.
# With no arguments: builds the project if needed (no jar yet, or sources newer than it) and trains on the bundled
# Fashion-MNIST into runs/<timestamp>/.
#
# Uses spark-submit from $SPARK_HOME or the PATH when there is one; otherwise runs Spark's own SparkSubmit class from
# the jars of the Maven build, so a local run needs no Spark installation. The application jar is the one of that
# Spark's line (job/target/spark-vae-app-3.5_2.12.jar, -4.2_2.13.jar, ...): see pick_line below.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true   # a failure inside $(...) ends the script too (bash 4.4 and later)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
main_class="com.sparkvae.job.cli.Main"

refuse() {
  echo "submit.sh: $*" >&2
  exit 2
}
# spark-submit's options (SparkSubmitOptionParser, Spark 3.5 and 4) that take a value, and those that take none;
# --help and -h, which the job has too, are left to the job when there is no command word.
spark_valued=" --master --remote --deploy-mode --class --name --jars --packages --exclude-packages --repositories \
--py-files --files --archives --conf -c --properties-file --extra-properties-file --driver-memory \
--driver-java-options --driver-library-path --driver-class-path --driver-default-class-path --driver-cores \
--executor-memory --executor-cores --total-executor-cores --num-executors --queue --principal --keytab --proxy-user \
--kill --status "
spark_switches=" --verbose -v --supervise --version --load-spark-defaults "
# Where the arguments split, as "N J": spark-submit takes the first N arguments, the job those from index J on. With
# no command word and no --, the list must be all spark-submit's options (with their values) or none of them.
split_point() {
  local args=("$@") i a value spark="" other=""
  for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
      train|score|sample) echo "$i $i"; return ;;
      --) echo "$i $((i + 1))"; return ;;
    esac
    if [[ "$spark_valued" == *" ${args[i]} "* ]]; then i=$((i + 1)); fi   # its value, whatever it is
  done
  for ((i = 0; i < ${#args[@]}; i++)); do
    a="${args[i]}"
    if [[ "$spark_valued" == *" ${a%%=*} "* ]]; then
      if [[ "$a" == *=* ]]; then value="${a#*=}"; else i=$((i + 1)); value="${args[i]:-}"; a="$a $value"; fi
      if [[ "$a" == --conf* || "$a" == -c* ]] && [[ "$value" != spark.*=* ]]; then
        other="${other:-$a}"   # the job's --conf FILE
      else
        spark="${spark:-$a}"
      fi
    elif [[ "$spark_switches" == *" $a "* ]]; then
      spark="${spark:-$a}"
    else
      other="${other:-$a}"
    fi
  done
  if [[ -n "$spark" && -n "$other" ]]; then
    refuse "'$spark' is spark-submit's and '$other' is not: put the command (train, score or sample) or -- after" \
      "spark-submit's options, as in ./submit.sh --master local[2] train --epochs 1"
  fi
  if [[ -n "$spark" ]]; then echo "$# $#"; else echo "0 0"; fi
}
split="$(split_point "$@")"
read -r spark_count job_from <<< "$split"
spark_args=("${@:1:spark_count}")
job_args=("${@:job_from+1}")

# The value of spark-submit option $1 (--master, --deploy-mode, ...) among the arguments after it, or empty.
spark_opt() {
  local name="$1" a
  shift
  while [[ $# -gt 0 ]]; do
    a="$1"; shift
    if [[ "$a" == "$name" ]]; then echo "${1:-}"; return; fi
    if [[ "$a" == "$name="* ]]; then echo "${a#*=}"; return; fi
  done
}
if [[ -z "$(spark_opt --master ${spark_args[@]+"${spark_args[@]}"})" ]]; then
  spark_args=(--master "local[*]" ${spark_args[@]+"${spark_args[@]}"})
fi

# Whether a spark.* setting $1 is given with --conf among the arguments after it.
spark_conf_given() {
  local key="$1"
  shift
  [[ " $* " == *" $key="* || " $* " == *" --conf=$key="* ]]
}
# The index of spark-submit's --files (or --files=...) among the arguments, or nothing.
files_index() {
  local i=0 a
  for a in "$@"; do
    if [[ "$a" == --files || "$a" == --files=* ]]; then echo "$i"; return; fi
    i=$((i + 1))
  done
}
on_yarn=false; [[ "$(spark_opt --master "${spark_args[@]}")" == yarn* ]] && on_yarn=true
cluster_mode=false
[[ "$(spark_opt --deploy-mode "${spark_args[@]}")" == cluster || " ${spark_args[*]} " == *" spark.submit.deployMode=cluster "* ]] \
  && cluster_mode=true
if $on_yarn && [[ -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]]; then
  refuse "--master yarn needs HADOOP_CONF_DIR (or YARN_CONF_DIR) naming the cluster's configuration"
fi
# In YARN cluster mode the driver runs in the ApplicationMaster, on a node of the cluster: a job config file on this
# machine's disk goes with the application (--files, into the driver's working directory) and the job is told to
# read it there. A file that is not here is refused now rather than missed there.
if $on_yarn && $cluster_mode; then
  for ((i = 0; i < ${#job_args[@]}; i++)); do
    a="${job_args[$i]}"
    if [[ "$a" == --conf && $((i + 1)) -lt ${#job_args[@]} ]]; then at=$((i + 1)); file="${job_args[$at]}"
    elif [[ "$a" == --conf=* ]]; then at=$i; file="${a#--conf=}"
    else continue; fi
    [[ "$file" == *://* || ( "$file" == *:* && "$file" != file:* ) ]] && continue   # hdfs://, s3a://: read there
    file="${file#file:}"; file="${file#//}"
    [[ -f "$file" ]] || refuse "--conf $file: no such file on this machine"
    shipped="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
    # spark-submit's --files takes one comma-separated list: the file joins the one given, if any.
    files_at="$(files_index "${spark_args[@]}")"
    if [[ -z "$files_at" ]]; then spark_args+=(--files "$shipped")
    elif [[ "${spark_args[$files_at]}" == --files ]]; then spark_args[files_at + 1]+=",$shipped"
    else spark_args[files_at]+=",$shipped"; fi
    echo "submit.sh: YARN cluster mode: $file goes to the ApplicationMaster with --files" >&2
    if [[ "$a" == --conf ]]; then job_args[at]="file:$(basename "$file")"; else job_args[at]="--conf=file:$(basename "$file")"; fi
  done
fi

# ---- The Spark line: which application jar this run takes, built if missing or stale ------------------------------
# A line is a Spark minor version and its Scala version, as the build names its artifacts (spark.line in pom.xml):
# job/target/spark-vae-app-<line>.jar and, for running without an installed Spark, spark-runtime/target/<line>/
# (the Spark jars' class path and the JVM flags they need). The functions below print what they find; refuse ends
# the script, in one line and with exit code 2, when a line does not match the Spark that will run or is one the job
# does not support.
line_of() {   # "4.2.0" "2.13" -> 4.2_2.13
  local v="$1"
  echo "${v%%.*}.$(cut -d. -f2 <<< "$v")_$2"
}
# The installed spark-submit: $SPARK_HOME's, else the PATH's; nothing when there is none.
installed_spark_submit() {
  if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    echo "$SPARK_HOME/bin/spark-submit"
  elif command -v spark-submit >/dev/null 2>&1; then
    command -v spark-submit
  fi
}
# The Spark home of the spark-submit at $1.
spark_home_of() {
  if [[ -n "${SPARK_HOME:-}" && "$1" == "$SPARK_HOME/bin/spark-submit" ]]; then echo "$SPARK_HOME"
  else dirname "$(dirname "$(readlink -f "$1")")"; fi
}
# The version and Scala version of the Spark at $1, from its spark-core jar's name (jars/spark-core_2.13-4.2.0.jar).
spark_home_version() {
  local core
  core="$(ls "$1"/jars/spark-core_2.1[0-9]-*.jar 2>/dev/null | head -n 1 || true)"
  [[ -n "$core" ]] || return 1
  core="$(basename "$core" .jar)"        # spark-core_2.13-4.2.0
  core="${core#spark-core_}"             # 2.13-4.2.0
  echo "${core#*-} ${core%%-*}"
}
# Whether line $1 of an installed Spark of version $2 (empty when none is installed) runs: 3.5 on either Scala, and
# Spark 4 from 4.0.1 on Scala 2.13: 4.0.0's SPARK-52259 breaks the Spark ML Params of libraries built against another
# Spark, and 4.0 is taken only from an installed Spark, whose exact version the build then uses.
supported_line() {
  [[ "$1" =~ ^3\.5_2\.1[23]$ || "$1" =~ ^4\.[1-9][0-9]*_2\.13$ ]] && return 0
  [[ "$1" == 4.0_2.13 && -n "${2:-}" && "$2" != 4.0.0 ]]
}
# The line of the application jar to run, for the Spark at home $1 of version $2 and Scala version $3 (all empty when
# none is installed): the installed Spark's, else SPARK_VAE_SPARK_LINE, else the line built last (the newest
# application jar); nothing on a fresh checkout with no Spark installed and no line asked for.
pick_line() {
  local home="$1" version="$2" scala="$3" wanted="${SPARK_VAE_SPARK_LINE:-}" line="" newest
  if [[ -n "$home" ]]; then
    if [[ -n "$version" ]]; then
      line="$(line_of "$version" "$scala")"
      if [[ -n "$wanted" && "$wanted" != "$line" ]]; then
        refuse "SPARK_VAE_SPARK_LINE=$wanted does not match Spark $version (Scala $scala) at $home, which runs only a $line jar"
      fi
    elif [[ -n "$wanted" ]]; then
      line="$wanted"
    else
      refuse "cannot tell the Spark version at $home (no jars/spark-core_*.jar); set SPARK_VAE_SPARK_LINE (e.g. 3.5_2.12)"
    fi
  elif [[ -n "$wanted" ]]; then
    line="$wanted"
  else
    newest="$(ls -t "$here"/job/target/spark-vae-app-*.jar 2>/dev/null | head -n 1 || true)"   # none on a fresh checkout
    line="$(basename "${newest:-spark-vae-app-.jar}" .jar)"
    line="${line#spark-vae-app-}"
  fi
  if [[ -n "$line" ]] && ! supported_line "$line" "$version"; then
    if [[ "$version" == 4.0.0 ]]; then
      refuse "Spark 4.0.0${home:+ at $home} is not supported: its SPARK-52259 breaks the Spark ML Params of libraries built against another Spark (fixed in 4.0.1); use Spark 4.0.1 or newer"
    fi
    refuse "Spark ${version:-line $line}${home:+ at $home} is not supported: the job runs on Spark 3.5 (Scala 2.12 or 2.13) and 4.0.1 or newer (Scala 2.13)"
  fi
  echo "$line"
}
# The Maven options that build line $1 (nothing: the default build), for Spark version $2 when it is known: -Pspark-4
# for Spark 4, its Scala version, and the exact Spark version (the installed one, or the one the line was last built
# with); else the profile's own.
build_args() {
  local line="$1" version="$2" built="$here/spark-runtime/target/$1/spark-line.properties"
  [[ -n "$line" ]] || return 0
  if [[ -z "$version" && -f "$built" ]]; then
    version="$(sed -n 's/^spark.version=//p' "$built")"
  fi
  [[ "$line" == 4.* ]] && echo -n "-Pspark-4 "
  echo -n "-Dscala.binary.version=${line#*_}"
  [[ -n "$version" ]] && echo -n " -Dspark.version=$version"
  echo
}
# Whether a source or build file is newer than the jar $1: the checkout changed (a pull, an edit) since the last
# build, and running the old jar would train with the old code.
changed_since_build() {
  local sources=() f
  for f in "$here/pom.xml" "$here"/{model,spark-runtime,job}/pom.xml "$here"/{model,job}/src/main; do
    [[ -e "$f" ]] && sources+=("$f")
  done
  [[ ${#sources[@]} -gt 0 && -n "$(find "${sources[@]}" -type f -newer "$1" -print -quit 2>/dev/null)" ]]
}
# Builds the application jar, saying why ($1), with the Maven options that follow. Maven 3.8 prints colour resets
# even in batch mode; they are stripped so the log stays plain text.
build() {
  local why="$1"
  shift
  echo "submit.sh: $why (mvn package${*:+ $*}, tests skipped)..." >&2
  (cd "$here" && mvn -B -q -DskipTests "$@" package) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
}
installed_submit="$(installed_spark_submit)"
installed_home="" installed_version="" installed_scala=""
if [[ -n "$installed_submit" ]]; then
  installed_home="$(spark_home_of "$installed_submit")"
  read -r installed_version installed_scala <<< "$(spark_home_version "$installed_home" || true)"
fi
line="$(pick_line "$installed_home" "$installed_version" "$installed_scala")"
if [[ -z "$line" ]]; then
  # Nothing built yet and nothing to match: the default build, then its line.
  build "building the application jar"
  line="$(pick_line "" "" "")"
  [[ -n "$line" ]] || refuse "the build made no application jar in job/target/"
fi
app_jar="$here/job/target/spark-vae-app-$line.jar"
spark_cp="$here/spark-runtime/target/$line/spark-classpath.txt"
spark_opens="$here/spark-runtime/target/$line/java17-opens.txt"
read -r -a maven_args <<< "$(build_args "$line" "$installed_version")"
if [[ ! -f "$app_jar" || ( -z "$installed_submit" && ( ! -f "$spark_cp" || ! -f "$spark_opens" ) ) ]]; then
  build "building the application jar for Spark line $line" "${maven_args[@]}"
elif changed_since_build "$app_jar"; then
  build "sources changed since the application jar was built; rebuilding it for Spark line $line" "${maven_args[@]}"
fi
[[ -f "$app_jar" ]] || refuse "no $app_jar after the build (is line $line one that -Pspark-4 or the default build makes?)"
if [[ -n "$installed_submit" ]]; then
  echo "submit.sh: Spark ${installed_version:-(line $line)} at $installed_home; its line's jar: ${app_jar#"$here"/}" >&2
else
  echo "submit.sh: no Spark installed; the build's Spark $line jars (spark-runtime/target/$line/) and ${app_jar#"$here"/}" >&2
fi
# ---- end of the Spark line ------------------------------------------------------------------------------------------

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# OpenBLAS's kernels for this CPU, for the JVM that computes in local mode (executors elsewhere: README, cluster).
source "$here/conf/openblas-env.sh"
cd "$here"   # relative paths in conf/vae.conf (the bundled data, runs/) are relative to the project
if [[ -n "$installed_submit" ]]; then
  submit=("$installed_submit")
else
  # No Spark installation: run SparkSubmit from the build's Spark jars, with the JVM flags Spark needs on Java 17.
  read -r -a opens < "$spark_opens"   # the parent pom's spark.java17.opens, written by the build
  read -r -a driver_opts <<< "${SPARK_VAE_DRIVER_OPTS:--Xmx4g}"   # JVM options, split into words
  # Hadoop's and YARN's configuration go first on the class path, as Spark's own launcher puts them.
  conf_dirs="${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}${YARN_CONF_DIR:+$YARN_CONF_DIR:}"
  submit=(java "${opens[@]}" "${driver_opts[@]}" -Dlog4j2.configurationFile="$here/conf/log4j2.properties"
    -cp "$conf_dirs$(cat "$spark_cp")" org.apache.spark.deploy.SparkSubmit)
  # Without a SPARK_HOME there is no jars/ folder for YARN to upload: the containers get the build's Spark jars.
  if $on_yarn && ! spark_conf_given spark.yarn.jars "${spark_args[@]}" \
      && ! spark_conf_given spark.yarn.archive "${spark_args[@]}"; then
    spark_args+=(--conf "spark.yarn.jars=$(tr ':' ',' < "$spark_cp" | tr -d '\n')")
  fi
fi

cmd=("${submit[@]}" "${spark_args[@]}" --class "$main_class" "$app_jar" "${job_args[@]+"${job_args[@]}"}")

# The command is printed with the values of secret settings hidden as Spark hides them (spark-submit's --conf and the
# job's --read-option), and the long class path elided; it runs with them as given. A --conf key=value is secret when Spark's default spark.redaction.regex,
# (?i)secret|password|token|access[.]?key, finds a match in its key or its value, or when one of the default
# hadoop.security.sensitive-config-keys (core-default.xml of Hadoop 3.3.4 and 3.5.0) finds one in its key.
secret_spark='secret|password|token|access[.]?key'
secret_hadoop='secret$|password$|ssl.keystore.pass$|fs.s3a.server-side-encryption.key|fs.s3a.*.server-side-encryption.key'
secret_hadoop+='|fs.s3a.encryption.algorithm|fs.s3a.encryption.key|fs.s3a.encryption.context|fs.s3a.secret.key'
secret_hadoop+='|fs.s3a.*.secret.key|fs.s3a.session.key|fs.s3a.*.session.key|fs.s3a.session.token|fs.s3a.*.session.token'
secret_hadoop+='|fs.azure.account.key.*|fs.azure.oauth2.*|fs.adl.oauth2.*|fs.gs.encryption.*|fs.gs.proxy.*|fs.gs.auth.*'
secret_hadoop+='|credential$|oauth.*secret|oauth.*password|oauth.*token|hadoop.security.sensitive-config-keys'
# Whether the setting key=value $1 is secret.
secret_setting() {
  local key="${1%%=*}" value="${1#*=}" spark_finds=false
  shopt -s nocasematch   # Spark's (?i); Hadoop's patterns are case-sensitive
  if [[ "$key" =~ $secret_spark || "$value" =~ $secret_spark ]]; then spark_finds=true; fi
  shopt -u nocasematch
  $spark_finds || [[ "$key" =~ $secret_hadoop ]]
}
# The job's --read-option KEY=VALUE[,KEY=VALUE...] $1 as printed: each secret pair's value hidden.
shown_pairs() {
  local pair out="" IFS=','
  for pair in $1; do
    if [[ "$pair" == *=* ]] && secret_setting "$pair"; then pair="${pair%%=*}=*********(redacted)"; fi
    out+="${out:+,}$pair"
  done
  printf '%q' "$out"
}
# The command's word $2, which follows the word $1, as printed.
shown() {
  local before="$1" w="$2" redacted='*********(redacted)'
  if [[ "$before" == --read-option && "$w" == *=* ]]; then
    shown_pairs "$w"
  elif [[ "$w" == --read-option=*=* ]]; then
    printf '%s' "--read-option="; shown_pairs "${w#--read-option=}"
  elif [[ ( "$before" == --conf || "$before" == -c ) && "$w" == *=* ]] && secret_setting "$w"; then
    printf '%q=%s' "${w%%=*}" "$redacted"
  elif [[ "$w" == --conf=*=* ]] && secret_setting "${w#--conf=}"; then
    w="${w#--conf=}"
    printf '%q=%s' "--conf=${w%%=*}" "$redacted"
  elif [[ ${#w} -gt 200 ]]; then
    printf '%s' "${w:0:60}...(${#w} chars)"
  else
    printf '%q' "$w"
  fi
}
printed="submit.sh:"
before=""
for w in "${cmd[@]}"; do
  printed+=" $(shown "$before" "$w")"
  before="$w"
done
echo "$printed" >&2
exec "${cmd[@]}"
