#!/bin/sh
# Installs Debian's PostgreSQL server for the differential tests, if it is missing.
# Idempotent and quiet: when a server binary is already present it returns at once.
set -eu

have_server() {
    for bin in /usr/lib/postgresql/*/bin/postgres; do
        [ -x "$bin" ] && return 0
    done
    return 1
}

if have_server; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# The package creates the `postgres` system user that the tests run the server as.
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null

if ! have_server; then
    echo "install_postgres.sh: postgresql installed but no server binary found" >&2
    exit 1
fi
