#!/usr/bin/env bash
# Starts the Sealpost server on Payara Micro with the embedded defaults (H2 database, blobs on
# the file system, local keys, notification emails as .eml files), all under ./data.
# Builds first when the war or Payara Micro is missing or older than the sources.
#
#   ./run.sh [--port N] [--data-dir DIR]
#
# SEALPOST_PORT and SEALPOST_DATA_DIR set the same; every other SEALPOST_* variable reaches the
# server as MicroProfile Config (e.g. SEALPOST_DB_URL, SEALPOST_BOOTSTRAP_ADMIN_KEY). JAVA_OPTS
# passes JVM flags. SEALPOST_LOG_FORMAT=json logs one JSON object per line (default: plain text).
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

port="${SEALPOST_PORT:-8080}"
data_dir="${SEALPOST_DATA_DIR:-./data}"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a value}"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    --data-dir) data_dir="${2:?--data-dir needs a value}"; shift 2 ;;
    --data-dir=*) data_dir="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "run.sh: port must be a number from 1 to 65535 (got '$port')" >&2
  exit 2
fi

war=api/target/api.war
micro=api/target/payara-micro.jar
needs_build=no
if [ ! -f "$war" ] || [ ! -f "$micro" ]; then
  needs_build=yes
elif [ -n "$(find pom.xml sdk-java api envelope-viewer \( -name target -o -name node_modules \) -prune \
      -o -type f -newer "$war" -print 2>/dev/null | head -1)" ]; then
  needs_build=yes
fi
if [ "$needs_build" = yes ]; then
  echo "run.sh: building (./mvnw -q -DskipTests package)..." >&2
  ./mvnw -q -DskipTests package
fi

# Everything written under the data directory (database, keys, blobs, mails, Payara's runtime) is
# for this user only: files 0600, directories 0700.
umask 077
mkdir -p "$data_dir"
data_dir="$(cd "$data_dir" && pwd)"
# A fresh Payara root directory per process (payara/run-<pid>): a reused one redeploys and logs
# spurious errors. Only the roots of processes that are gone are removed, never a running one's
# (a second instance on the same data directory, e.g. a restart that overlaps the old one).
alive() {
  kill -0 "$1" 2>/dev/null || ps -p "$1" >/dev/null 2>&1
}
for old_root in "$data_dir"/payara/run-*; do
  [ -d "$old_root" ] || continue
  old_pid="${old_root##*/run-}"
  if [[ "$old_pid" =~ ^[0-9]+$ ]] && [ "$old_pid" != "$$" ] && ! alive "$old_pid"; then
    rm -rf "$old_root" 2>/dev/null || true # another user's: not ours to remove
  fi
done
rootdir="$data_dir/payara/run-$$"
rm -rf "$rootdir" # a root left by an earlier process that had this pid
mkdir -p "$rootdir"

export SEALPOST_PORT="$port"
export SEALPOST_DATA_DIR="$data_dir"
# Payara's own lines (before the application starts) in the same format as the application's.
case "${SEALPOST_LOG_FORMAT:-plain}" in
  json) log_properties=api/src/main/payara/logging-json.properties ;;
  *) log_properties=api/src/main/payara/logging.properties ;;
esac
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java ${JAVA_OPTS:-} -jar "$micro" \
  --deploy "$war" --contextroot / \
  --nocluster --port "$port" --rootdir "$rootdir" \
  --prebootcommandfile api/src/main/payara/preboot.asadmin \
  --logproperties "$log_properties"
