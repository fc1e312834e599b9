#!/usr/bin/env bash
# Installs what the Spark tests need, if missing: Java 17+ (Debian package) and
# pyspark[connect] 4.x with pandas below 3 into the project's virtualenv. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-.venv/bin/python}"

if ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless
    else
        echo "install_spark.sh: Java 17 is missing (apt-get install openjdk-17-jre-headless)" >&2
        exit 1
    fi
fi

if ! "$PY" - <<'PY' 2>/dev/null
import importlib.metadata as md, sys
v = md.version("pyspark")
import grpc, pandas, google.protobuf, zstandard  # the [connect] extra
sys.exit(0 if v.split(".")[0] == "4" and pandas.__version__.split(".")[0] < "3" else 1)
PY
then
    "$PY" -m pip install -q "pyspark[connect]>=4,<5" "pandas<3"
fi
"$PY" -c "import pyspark; print('pyspark', pyspark.__version__)"
