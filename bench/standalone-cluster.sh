# shellcheck shell=bash
# Sourced by the bench scripts that need a Spark standalone cluster on loopback, started from the build's Spark jars:
# a Master and WORKERS (default 2) Workers of one core each, so each partition trains in its own executor JVM apart
# from the driver, and every vector between them crosses a socket. After `start_standalone_cluster`, $master_url is
# the cluster's URL, $work a scratch directory (the Workers' directories under it), and SPARK_HOME and the OpenBLAS
# environment are exported for submit.sh; the cluster and $work go when the script exits.
# Needs $here (the project's root) and a packaged build (job/target/classes and spark-runtime/target/<line>/).
: "${here:?set here to the project root before sourcing bench/standalone-cluster.sh}"
work="$(mktemp -d)"
pids=()
stop_standalone_cluster() {
  for p in "${pids[@]+"${pids[@]}"}"; do pkill -KILL -P "$p" 2>/dev/null || true; kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop_standalone_cluster EXIT

start_standalone_cluster() {
  local workers="${WORKERS:-2}"
  # The line just built (e.g. 3.5_2.12), for its Spark jars and application jar.
  line="$(sed -n 's/^spark.line=//p' "$here/job/target/classes/META-INF/spark-vae/spark-line.properties")"
  spark_cp="$here/spark-runtime/target/$line/spark-classpath.txt"
  # A SPARK_HOME the Worker accepts: a RELEASE file and the Spark runtime jars.
  mkdir -p "$work/spark-home/jars"
  echo "Spark (the Maven jars of the spark-vae build, line $line)" > "$work/spark-home/RELEASE"
  for jar in $(tr ':' ' ' < "$spark_cp"); do ln -s "$jar" "$work/spark-home/jars/"; done
  export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION="${line#*_}" SPARK_LOCAL_IP=127.0.0.1 SPARK_VAE_SPARK_LINE="$line"
  source "$here/conf/openblas-env.sh"   # executors inherit the Workers' environment
  local port w
  port=$(free_port)
  daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$(free_port)"
  for w in $(seq 1 "$workers"); do
    daemon "worker$w" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" --host 127.0.0.1 --cores 1 \
      --memory 3g --webui-port "$(free_port)" --work-dir "$work/work$w"
  done
  for _ in $(seq 1 120); do
    [[ $(grep -c "Registering worker" "$work/master.log" 2>/dev/null || true) -ge $workers ]] && break
    sleep 0.5
  done
  [[ $(grep -c "Registering worker" "$work/master.log" || true) -ge $workers ]] || { cat "$work/master.log" >&2; exit 1; }
  # shellcheck disable=SC2034  # read by the script that sourced this one
  master_url="spark://127.0.0.1:$port"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
daemon() {
  local name="$1"; shift
  java -Xmx512m -cp "$(cat "$spark_cp")" "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  disown   # killed by stop_standalone_cluster, without the shell reporting it
}
