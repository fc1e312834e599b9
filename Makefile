# Two commands do everything on a fresh machine:
#   make serve   installs what is missing, then serves the demo database on 127.0.0.1:5433
#   make test    installs what is missing, starts what the tests need, runs the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PORT ?= 5433
PYTEST_ARGS ?=

.PHONY: serve test install model llama test-deps bench clean docs

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# llama-cpp-python built from source with portable CPU flags (cached wheel), then the model.
llama: install
	$(PY) -m askgres.models build-llama

model: llama
	$(PY) -m askgres.models install

serve: model
	$(PY) -m askgres.proxy.cli serve --demo --port $(PORT)

# Servers and clients the tests use: PostgreSQL (differential tests), Java/JDBC, ODBC, node-postgres, Spark.
test-deps: install
	bash tests/support/install_postgres.sh
	bash tests/support/install_clients.sh
	bash tests/support/install_superset.sh
	@if [ -f tests/support/install_spark.sh ]; then bash tests/support/install_spark.sh; fi

test: test-deps model
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

# Regenerates the settings table in README.md from the configuration models.
docs: install
	$(PY) -c "import re,subprocess,sys; md=subprocess.run([sys.executable,'-m','askgres.proxy.cli','config','--markdown'],capture_output=True,text=True,check=True).stdout; p='README.md'; s=open(p).read(); open(p,'w').write(re.sub(r'<!-- settings:begin -->.*<!-- settings:end -->', lambda m: '<!-- settings:begin -->\n'+md+'<!-- settings:end -->', s, flags=re.S))"
