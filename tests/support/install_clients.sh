#!/usr/bin/env bash
# Installs the real Postgres clients the client-compatibility tests drive, if missing:
# PgJDBC (Debian libpostgresql-jdbc-java, run on the machine's Java 17), psqlODBC with
# unixODBC (used through pyodbc), node-postgres (npm `pg`), and psql itself.
# Idempotent and quiet: returns at once when everything is present.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
[ -f /usr/share/java/postgresql.jar ] || missing+=(libpostgresql-jdbc-java)
[ -n "$(ls /usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so /usr/lib/*/odbc/psqlodbcw.so 2>/dev/null | head -n1)" ] || missing+=(odbc-postgresql)
command -v odbcinst >/dev/null || missing+=(unixodbc unixodbc-dev)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# node-postgres, at the version pinned by tests/clients/node/package-lock.json
if [ ! -d "$here/../clients/node/node_modules/pg" ]; then
    (cd "$here/../clients/node" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
