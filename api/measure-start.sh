#!/usr/bin/env bash
# Measures the server's cold start: wall time and CPU time from launching the server to the first
# 200 on /health/ready. Prints one line per run. The war must be built already (run ./run.sh once).
#
#   api/measure-start.sh [--entrypoint] [RUNS] [PORT]      e.g. api/measure-start.sh 3 8190
#
# Default: starts ./run.sh. --entrypoint: starts the container's entrypoint (infra/docker/entrypoint.sh)
# with the container's JAVA_OPTS (the Dockerfile's ENV line) on a local copy of the image's
# /opt/sealpost layout, i.e. the exact java command line the image runs (Docker need not run).
#
# Each run starts on a fresh data directory (first start: migrations, keyring, bootstrap tenant
# and its signing key); JAVA_OPTS passes through to the server (in --entrypoint mode it replaces the
# Dockerfile's, as in the container). Besides the process's CPU time, each line shows how much of it
# the JIT compiler threads used.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=run.sh
if [ "${1:-}" = --entrypoint ]; then
  mode=entrypoint
  shift
fi
runs="${1:-3}"
port="${2:-8190}"
tick=$(getconf CLK_TCK)

# The image's /opt/sealpost, as links to the build's files; the entrypoint with that path swapped in.
image_home() {
  local home="$1"
  ln -s "$PWD/api/target/payara-micro.jar" "$home/payara-micro.jar"
  ln -s "$PWD/api/target/api.war" "$home/api.war"
  ln -s "$PWD/api/src/main/payara/preboot.asadmin" "$home/preboot.asadmin"
  ln -s "$PWD/api/src/main/payara/logging.properties" "$home/logging.properties"
  ln -s "$PWD/api/src/main/payara/logging-json.properties" "$home/logging-json.properties"
  sed "s|/opt/sealpost|$home|g" infra/docker/entrypoint.sh >"$home/entrypoint.sh"
  chmod +x "$home/entrypoint.sh"
}
# The Dockerfile's default JAVA_OPTS (ENV JAVA_OPTS="..." \).
image_java_opts() {
  sed -n 's/^ENV JAVA_OPTS="\([^"]*\)".*/\1/p' Dockerfile
}

# CPU time (ms) of a process's threads, all of them or only those whose name matches.
cpu_ms() {
  local pid="$1" match="${2:-}" sum=0 t u s
  for t in /proc/"$pid"/task/*; do
    if [ -n "$match" ] && ! grep -q "$match" "$t/comm" 2>/dev/null; then continue; fi
    read -r u s < <(awk '{print $14, $15}' "$t/stat" 2>/dev/null || echo "0 0")
    sum=$((sum + u + s))
  done
  echo $((sum * 1000 / tick))
}

for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  if [ "$mode" = entrypoint ]; then
    home="$dir/home"
    mkdir -p "$home" "$dir/data"
    image_home "$home"
    start=$(date +%s%N)
    JAVA_OPTS="${JAVA_OPTS:-$(image_java_opts)}" SEALPOST_PORT="$port" SEALPOST_DATA_DIR="$dir/data" \
      TMPDIR="$dir" "$home/entrypoint.sh" >"$dir.log" 2>&1 &
  else
    start=$(date +%s%N)
    ./run.sh --port "$port" --data-dir "$dir" >"$dir.log" 2>&1 &
  fi
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/health/ready")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server exited; see $dir.log" >&2; exit 1; fi
    sleep 0.1
  done
  end=$(date +%s%N)
  printf 'run %d (%s): ready in %d ms wall, %d ms CPU of which JIT compiler %d ms (load average %s)\n' \
    "$i" "$mode" $(((end - start) / 1000000)) "$(cpu_ms "$pid")" "$(cpu_ms "$pid" '^C[12] CompilerThre')" \
    "$(cut -d' ' -f1 /proc/loadavg)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir" "$dir.log"
done
