#!/usr/bin/env bash
# Measures the server's cold start: wall time and CPU time from launching ./run.sh to the first
# 200 on /health/ready. Prints one line per run. The war must be built already (run ./run.sh once).
#
#   api/measure-start.sh [RUNS] [PORT]      e.g. api/measure-start.sh 3 8190
#
# Each run starts on a fresh data directory (first start: migrations, keyring, bootstrap tenant
# and its signing key); JAVA_OPTS passes through to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
port="${2:-8190}"
tick=$(getconf CLK_TCK)
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s%N)
  ./run.sh --port "$port" --data-dir "$dir" >"$dir.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/health/ready")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server exited; see $dir.log" >&2; exit 1; fi
    sleep 0.1
  done
  end=$(date +%s%N)
  read -r utime stime < <(awk '{print $14, $15}' "/proc/$pid/stat")
  printf 'run %d: ready in %d ms wall, %d ms CPU (load average %s)\n' "$i" \
    $(( (end - start) / 1000000 )) $(( (utime + stime) * 1000 / tick )) "$(cut -d' ' -f1 /proc/loadavg)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir" "$dir.log"
done
