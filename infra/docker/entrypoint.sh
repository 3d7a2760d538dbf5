#!/bin/sh
# Starts Payara Micro with the Sealpost war at the root context. Configuration comes from SEALPOST_*
# environment variables (MicroProfile Config); JAVA_OPTS carries JVM flags. Extra arguments are
# passed to Payara Micro.
set -eu

# Every file the server writes under the data directory (the H2 database included) is 0600, every
# directory 0700.
umask 077
port="${SEALPOST_PORT:-8080}"
# A fresh Payara root directory on every start: a reused one redeploys and logs spurious errors.
rootdir="$(mktemp -d "${TMPDIR:-/tmp}/payara.XXXXXX")"
mkdir -p "${SEALPOST_DATA_DIR:-/opt/sealpost/data}"
# Payara's own lines (before the application starts) in the format the application logs in.
case "${SEALPOST_LOG_FORMAT:-plain}" in
  json) log_properties=/opt/sealpost/logging-json.properties ;;
  *) log_properties=/opt/sealpost/logging.properties ;;
esac

# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java ${JAVA_OPTS:-} -jar /opt/sealpost/payara-micro.jar \
  --deploy /opt/sealpost/api.war \
  --contextroot / \
  --nocluster \
  --disablephonehome \
  --port "$port" \
  --rootdir "$rootdir" \
  --prebootcommandfile /opt/sealpost/preboot.asadmin \
  --logproperties "$log_properties" \
  "$@"
