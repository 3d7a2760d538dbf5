#!/usr/bin/env bash
# The README's test command. On a fresh Debian machine of this kind (root, the package registries) it
# installs and starts what the tests need, then runs every test: ./mvnw verify. Arguments go to Maven.
#   Chromium + ChromeDriver   Debian packages chromium, chromium-driver (viewer and consumer browser tests)
#   PostgreSQL                SEALPOST_TEST_PG_URL/_USER/_PASSWORD if set; otherwise the machine's own
#                             PostgreSQL cluster (Debian package postgresql), started here, with a role
#                             and database sealpost/sealpost_test created when missing.
# An embedded PostgreSQL (io.zonky.test:embedded-postgres) was considered: its initdb refuses to run
# as root, and root is what CI and this kind of machine run as, so the Debian cluster it is.
# When something cannot be installed, this says what and how in one line and exits 1.
set -euo pipefail
cd "$(dirname "$0")"

say() { echo "test.sh: $*" >&2; }

apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing $*: install it with 'sudo apt-get install -y $*' (Debian) and run ./test.sh again"
    exit 1
  fi
  say "installing $* from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }; then
    say "could not install $* with apt-get (is the Debian mirror reachable?); install it by hand and run ./test.sh again"
    exit 1
  fi
}

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"

if [ -z "${SEALPOST_TEST_PG_URL:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "no PostgreSQL for the tests: set SEALPOST_TEST_PG_URL (and _USER, _PASSWORD) to a database you own, or run as root to use the machine's cluster"
    exit 1
  fi
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  pg_version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -z "$pg_version" ]; then
    say "PostgreSQL is installed but has no cluster: create one with 'pg_createcluster <version> main' and run ./test.sh again"
    exit 1
  fi
  pg_ctlcluster "$pg_version" main start 2>/dev/null || pg_ctlcluster "$pg_version" main status >/dev/null
  for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q" && break
    sleep 1
  done
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
SELECT 'CREATE ROLE sealpost LOGIN PASSWORD ''sealpost'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sealpost')\gexec
SELECT 'CREATE DATABASE sealpost_test OWNER sealpost'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'sealpost_test')\gexec
SQL
  export SEALPOST_TEST_PG_URL="jdbc:postgresql://localhost:5432/sealpost_test"
  export SEALPOST_TEST_PG_USER=sealpost
  export SEALPOST_TEST_PG_PASSWORD=sealpost
fi

exec ./mvnw -B verify "$@"
