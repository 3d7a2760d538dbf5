#!/usr/bin/env bash
# HTTP throughput and latency of seal and open beside a trivial authenticated endpoint, with wrk.
# See docs/PERFORMANCE.md, "HTTP".
#
#   benchmarks/http.sh embedded          # ./run.sh: H2 file database, blobs on disk, local keys
#   benchmarks/http.sh pg                # PostgreSQL + s3proxy + the local KMS (as benchmarks/soak.sh)
#   benchmarks/http.sh http://host:port  # a running server; HTTP_ADMIN_KEY = its bootstrap admin key;
#                                        # it needs SEALPOST_BENCH_ENDPOINT=true and a high
#                                        # SEALPOST_RATE_LIMIT_PER_MINUTE (the partner key's limit)
#
# One run measures, one after the other against the same server and tenant (HTTP_ROUNDS times):
#   trivial  GET  /v1/bench/noop                     (auth filter, no further work)
#   seal     POST /v1/envelopes                      (4 KiB JSON, one EMAIL_OTP consumer, notify:false)
#   open     GET  /v1/inbox/{envelopeId}/manifest    (a partner fetching its JWE)
# and prints req/s, p50, p99 per endpoint and the ratios seal/trivial and open/trivial.
#
# Environment: HTTP_DURATION (20s), HTTP_CONNECTIONS (32), HTTP_THREADS (2), HTTP_WARMUP (10s per
# endpoint), HTTP_ROUNDS (1), HTTP_JFR_DIR (a JFR recording per measured run), HTTP_WAR (an
# absolute path: start this war instead of the built one, e.g. a copy of main's to compare), JAVA_OPTS (server JVM flags, embedded and pg); for pg the database as
# for the ITs: SEALPOST_TEST_PG_URL, SEALPOST_TEST_PG_USER, SEALPOST_TEST_PG_PASSWORD.
# Needs wrk (Debian: apt-get install wrk), curl, jq, openssl.
# On a shared machine give the run a fair share of the CPU:
#   setsid bash -c 'echo -12 > /proc/$$/autogroup; exec nice -n -12 benchmarks/http.sh embedded'
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

mode="${1:-embedded}"
duration="${HTTP_DURATION:-20s}"
connections="${HTTP_CONNECTIONS:-32}"
threads="${HTTP_THREADS:-2}"
warmup="${HTTP_WARMUP:-10s}"
rounds="${HTTP_ROUNDS:-1}"
for tool in wrk curl jq openssl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "http.sh: $tool is missing (Debian: apt-get install $tool)" >&2
    exit 2
  fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/sealpost-http.XXXXXX")"
server_pid=""
cleanup() {
  if [ "$mode" = pg ] && [ -n "$server_pid" ]; then
    # The launcher stops its server, s3proxy and the KMS and drops its schema once its standard
    # input closes; a signal would leave the Payara process running.
    exec 9>&- 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 1
    done
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

await_ready() { # url log
  local deadline=$((SECONDS + 900))
  until curl -fsS -o /dev/null "$1/health/ready" 2>/dev/null; do
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
      echo "http.sh: the server exited; its log:" >&2
      tail -40 "$2" >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "http.sh: server not ready in 900 s; see $2" >&2
      exit 1
    fi
    sleep 2
  done
}

admin_key="${HTTP_ADMIN_KEY:-sp_http-bench-bootstrap-$(openssl rand -hex 16)}"
case "$mode" in
  embedded)
    port="$(free_port)"
    base="http://127.0.0.1:$port"
    echo "http.sh: starting ./run.sh on port $port (data in $work/data)" >&2
    export SEALPOST_BOOTSTRAP_ADMIN_KEY="$admin_key" SEALPOST_MAIL=outbox SEALPOST_BENCH_ENDPOINT=true \
      SEALPOST_RATE_LIMIT_PER_MINUTE=1000000
    if [ -n "${HTTP_WAR:-}" ]; then
      # A given war (e.g. main's, to compare), started as run.sh starts its own.
      mkdir -p "$work/data/payara/run"
      (umask 077 && SEALPOST_PORT="$port" SEALPOST_DATA_DIR="$work/data" exec java ${JAVA_OPTS:-} \
        -jar api/target/payara-micro.jar --deploy "$HTTP_WAR" --contextroot / --nocluster \
        --port "$port" --rootdir "$work/data/payara/run" \
        --prebootcommandfile api/src/main/payara/preboot.asadmin \
        --logproperties api/src/main/payara/logging.properties) >"$work/server.log" 2>&1 &
    else
      # (no setsid: a new session is a new autogroup, which would lose the fair share below)
      ./run.sh --port "$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
    fi
    server_pid=$!
    await_ready "$base" "$work/server.log"
    ;;
  pg)
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      pg_ctlcluster 15 main start 2>/dev/null || true
    fi
    export SEALPOST_DB_URL="${SEALPOST_TEST_PG_URL:-jdbc:postgresql://localhost:5432/sealpost_test}"
    export SEALPOST_DB_USER="${SEALPOST_TEST_PG_USER:-sealpost}"
    export SEALPOST_DB_PASSWORD="${SEALPOST_TEST_PG_PASSWORD:-sealpost}"
    echo "http.sh: building the war and the test classes (the s3proxy and KMS launchers)" >&2
    ./mvnw -o -q -pl api -am package dependency:build-classpath -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/soak.classpath
    mkfifo "$work/control"
    # The launcher runs until its standard input closes (this script's end closes the fifo).
    (cd api && exec java -Xmx1g \
      -cp "target/test-classes:target/classes:$(cat target/soak.classpath)" \
      -DwarFile="${HTTP_WAR:-target/api.war}" -Dpayara.microJar=target/payara-micro.jar \
      -Dsealpost.bench.dir="$work" -Dsealpost.bench.adminKey="$admin_key" \
      -Dsealpost.bench.serverJvm="${JAVA_OPTS:-}" \
      dev.sealpost.api.soak.HttpBenchServer <"$work/control" >"$work/server.log" 2>&1) &
    server_pid=$!
    exec 9>"$work/control"
    deadline=$((SECONDS + 900))
    until [ -s "$work/url" ]; do
      if ! kill -0 "$server_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "http.sh: the PostgreSQL + s3proxy server did not start; its log:" >&2
        tail -40 "$work/server.log" >&2
        exit 1
      fi
      sleep 2
    done
    base="$(cat "$work/url")"
    await_ready "$base" "$work/server.log"
    ;;
  http://* | https://*)
    base="${mode%/}"
    if [ -z "${HTTP_ADMIN_KEY:-}" ]; then
      echo "http.sh: set HTTP_ADMIN_KEY to the server's bootstrap admin key" >&2
      exit 2
    fi
    ;;
  *)
    sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

api() { # method path key [body] -> body; fails on a non-2xx status
  local args=(-fsS -X "$1" -H "Authorization: Bearer $3")
  if [ $# -ge 4 ]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$4")
  fi
  curl "${args[@]}" "$base$2"
}

# A tenant of its own, a SENDER key with a high rate limit, a partner with an EC P-256 key.
tenant_admin="$(api POST /v1/tenants "$admin_key" "{\"name\":\"http-bench-$(openssl rand -hex 4)\"}" | jq -r .adminKey)"
sender="$(api POST /v1/api-keys "$tenant_admin" \
  '{"role":"SENDER","name":"http-bench","rateLimitPerMinute":1000000}' | jq -r .key)"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/partner.pem" 2>/dev/null
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
point="$work/partner.pub"
openssl ec -in "$work/partner.pem" -pubout -outform DER 2>/dev/null | tail -c 64 >"$point"
x="$(head -c 32 "$point" | b64url)"
y="$(tail -c 32 "$point" | b64url)"
jwks="{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"enc\",\"kid\":\"bench-1\",\"x\":\"$x\",\"y\":\"$y\"}]}"
partner_id="$(api POST /v1/partners "$tenant_admin" "{\"name\":\"http-bench\",\"jwks\":$jwks}" | jq -r .id)"
partner="$(api POST "/v1/partners/$partner_id/api-keys" "$tenant_admin" '{"name":"inbox"}' | jq -r .key)"

# The seal body: about 4 KiB of JSON (a 2 KiB attachment, base64, and a 1 KiB message).
attachment="$(openssl rand -base64 2048 | tr -d '\n')"
message="$(openssl rand -hex 512)"
jq -n --arg a "$attachment" --arg m "$message" '{
    subject: "Your policy documents", message: $m,
    recipients: [{type: "consumer", email: "bench@example.com", verification: {method: "EMAIL_OTP"}}],
    policy: {expiresIn: "P1D"}, notify: false,
    attachments: [{name: "policy.pdf", contentType: "application/pdf", data: $a}] }' >"$work/seal.json"
# One envelope for the partner, to open.
envelope="$(jq '.recipients = [{type: "partner", partnerId: $p}]' --arg p "$partner_id" "$work/seal.json")"
envelope_id="$(api POST /v1/envelopes "$sender" "$envelope" | jq -r .id)"
api POST /v1/envelopes "$sender" "$(cat "$work/seal.json")" >/dev/null
api GET "/v1/inbox/$envelope_id/manifest" "$partner" >/dev/null
api GET /v1/bench/noop "$sender" >/dev/null

# wrk scripts: one result line per run (requests/s, p50 and p99 in ms, non-2xx and socket errors).
cat >"$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, errors))
end
EOF
lua_for() { # name method key [body-file]
  {
    echo "wrk.method = \"$2\""
    echo "wrk.headers[\"Authorization\"] = \"Bearer $3\""
    if [ $# -ge 4 ]; then
      echo 'wrk.headers["Content-Type"] = "application/json"'
      echo "local f = io.open(\"$4\", \"rb\"); wrk.body = f:read(\"*a\"); f:close()"
    fi
    cat "$work/report.lua"
  } >"$work/$1.lua"
}
lua_for trivial GET "$sender"
lua_for seal POST "$sender" "$work/seal.json"
lua_for open GET "$partner"
declare -A path=([trivial]=/v1/bench/noop [seal]=/v1/envelopes [open]="/v1/inbox/$envelope_id/manifest")

# The server JVM (not for a URL): its user and system CPU per endpoint, and JFR on request.
java_pid="$(pgrep -f -- "--rootdir $work" | head -1 || true)"
cpu_ticks() { # -> "user system" clock ticks of the server JVM
  if [ -n "$java_pid" ] && [ -r "/proc/$java_pid/stat" ]; then
    sed 's/.*) //' "/proc/$java_pid/stat" | cut -d' ' -f12,13
  else
    echo "0 0"
  fi
}
run_wrk() { # name duration -> RESULT line
  wrk -t"$threads" -c"$connections" -d"$2" --latency -s "$work/$1.lua" "$base${path[$1]}" \
    | grep '^RESULT' | cut -d' ' -f2-
}

echo "# sealpost HTTP benchmark: mode $mode, wrk -t$threads -c$connections -d$duration, $(nproc) cores," \
  "load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for name in trivial seal open; do
  run_wrk "$name" "$warmup" >/dev/null
done
declare -A rps
fmt='%-8s %5s %10s %9s %9s %7s %7s %10s\n'
# shellcheck disable=SC2059 # the format is the table's
printf "$fmt" endpoint round req/s p50_ms p99_ms non2xx errors usr/sys_s
for round in $(seq 1 "$rounds"); do
  for name in trivial seal open; do
    if [ -n "${HTTP_JFR_DIR:-}" ] && [ -n "$java_pid" ]; then
      jcmd "$java_pid" JFR.start name="$name" settings=profile \
        filename="$HTTP_JFR_DIR/$name-$round.jfr" >/dev/null
    fi
    read -r u0 s0 < <(cpu_ticks)
    read -r r p50 p99 non2xx errs < <(run_wrk "$name" "$duration")
    read -r u1 s1 < <(cpu_ticks)
    if [ -n "${HTTP_JFR_DIR:-}" ] && [ -n "$java_pid" ]; then
      jcmd "$java_pid" JFR.stop name="$name" >/dev/null
    fi
    hz="$(getconf CLK_TCK)"
    cpu="$(awk -v a=$((u1 - u0)) -v b=$((s1 - s0)) -v hz="$hz" 'BEGIN {printf "%.0f/%.0f", a / hz, b / hz}')"
    # shellcheck disable=SC2059
    printf "$fmt" "$name" "$round" "$r" "$p50" "$p99" "$non2xx" "$errs" "$cpu"
    rps[$name]="$(echo "${rps[$name]:-0} + $r" | bc -l)"
  done
done
awk -v t="${rps[trivial]}" -v s="${rps[seal]}" -v o="${rps[open]}" 'BEGIN {
  printf "ratio seal/trivial %.0f%%, open/trivial %.0f%%\n", 100 * s / t, 100 * o / t }'
