#!/usr/bin/env bash
# Soak test: two server instances on PostgreSQL + s3proxy + the local KMS under a fixed rate of
# mixed traffic for SOAK_MINUTES (default 10). Not part of ./mvnw verify (its classes compile there:
# api/src/test/java/dev/sealpost/api/soak/). See docs/PERFORMANCE.md, "Soak".
#
#   benchmarks/soak.sh                      # 10 minutes at 4 operations/s
#   SOAK_MINUTES=2 SOAK_RATE=8 benchmarks/soak.sh
#
# Environment: SOAK_MINUTES, SOAK_RATE (operations/s), SOAK_WARMUP_MINUTES (2), SOAK_WORKERS (16),
# SOAK_SERVER_JVM (-Xms512m -Xmx512m -XX:+UseSerialGC); the database as for the ITs:
# SEALPOST_TEST_PG_URL (jdbc:postgresql://localhost:5432/sealpost_test), SEALPOST_TEST_PG_USER and
# SEALPOST_TEST_PG_PASSWORD (sealpost). Exit code 0 = pass. Report: api/target/soak/<run>/report.md
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  pg_ctlcluster 15 main start 2>/dev/null || true
fi
export SEALPOST_DB_URL="${SEALPOST_TEST_PG_URL:-jdbc:postgresql://localhost:5432/sealpost_test}"
export SEALPOST_DB_USER="${SEALPOST_TEST_PG_USER:-sealpost}"
export SEALPOST_DB_PASSWORD="${SEALPOST_TEST_PG_PASSWORD:-sealpost}"

# The war, Payara Micro and the test classes (the soak reuses the ITs' s3proxy and KMS servers).
# -am: the api's tests use the cli module, which is built in the reactor, not installed.
./mvnw -o -q -pl api -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/soak.classpath

cd api
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/soak.classpath)" \
  -DwarFile=target/api.war -Dpayara.microJar=target/payara-micro.jar \
  dev.sealpost.api.soak.Soak
