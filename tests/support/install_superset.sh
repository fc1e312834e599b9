#!/usr/bin/env bash
# Installs Apache Superset into its own virtualenv (it pins many libraries of its own, so it
# never shares the project's .venv). tests/clients/test_superset.py drives it against askgres.
# Idempotent: returns at once when the pinned version is already installed.
#   ASKGRES_SUPERSET_VENV   where the virtualenv lives (default ~/.cache/askgres/superset-venv)
set -euo pipefail

SUPERSET_VERSION="6.1.0"
venv="${ASKGRES_SUPERSET_VENV:-$HOME/.cache/askgres/superset-venv}"
marker="$venv/.askgres-superset-$SUPERSET_VERSION-2"  # bump the suffix when the pins below change
python="${PYTHON:-python3}"

if [ -f "$marker" ] && "$venv/bin/python" -c "import superset, psycopg2" 2>/dev/null; then
    exit 0
fi

echo "installing apache-superset $SUPERSET_VERSION into $venv (a few minutes, once)"
mkdir -p "$(dirname "$venv")"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip_install() {  # quiet, minus the warnings about this machine's unused local index folders
    "$venv/bin/python" -m pip install -q "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
pip_install --upgrade pip
# flask-caching 2.4+ breaks Superset's cache manager; cachetools is imported but not declared.
pip_install "apache-superset==$SUPERSET_VERSION" "psycopg2-binary>=2.9" "flask-caching==2.3.1" "cachetools>=5"
"$venv/bin/python" -c "import superset, psycopg2, cachetools"
touch "$marker"
