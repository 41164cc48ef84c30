# KEK-Monitor: set up, run and test from a fresh clone (Debian 12, Python 3.11).
#   make run    set up and serve the demo on http://127.0.0.1:8000/ (SQLite, KEK 2030 loaded)
#   make test   install missing system packages, lint, run the suite on SQLite and PostgreSQL

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Steps depend on each other's side effects (.venv, database): never run them in parallel.
.NOTPARALLEL:

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
UV := $(VENV)/bin/uv
KEK := $(VENV)/bin/kek
RUFF := $(VENV)/bin/ruff
MYPY := $(VENV)/bin/mypy
BIND ?= 127.0.0.1:8000
# Where collectstatic writes; mirrors STATIC_ROOT / KEK_VAR_DIR in kekmonitor/settings.py.
STATIC_DIR := $(or $(STATIC_ROOT),$(or $(KEK_VAR_DIR),var)/static)
# The apps' static sources; not the collected files (var/static), which are always newer.
APP_STATIC_DIRS := $(filter-out $(STATIC_DIR),$(wildcard */static))

# uv must use the system Python and never download one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system

.PHONY: help setup run test system-packages bench lint format

help:
	@echo "make run     Einrichten und Demo starten (http://127.0.0.1:8000/; andere Adresse: BIND=0.0.0.0:8080)"
	@echo "make test    Systempakete, Einrichtung, Lint und Tests auf SQLite und PostgreSQL"
	@echo "make setup   Einrichten: .venv, Abhängigkeiten, Datenbank, statische Dateien, KEK 2030"
	@echo "make bench   Benchmarks ausführen"
	@echo "make lint    ruff check, ruff format --check und mypy"
	@echo "make format  Code mit ruff formatieren und korrigieren"

setup:
	@# python-ldap (LDAP sign-in) has no wheel: it is built with these Debian packages.
	@scripts/install-system-packages.sh libldap2-dev libsasl2-dev gcc >/dev/null
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) \
		&& $(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	@$(UV) sync --frozen --compile-bytecode --quiet
	@# Front-end packages (KERN UX, htmx, axe-core) from package-lock.json; npm writes
	@# node_modules/.package-lock.json last, so it marks a complete install.
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		command -v npm >/dev/null || { echo "npm fehlt (Debian: apt-get install npm)." >&2; exit 1; }; \
		npm ci --no-audit --no-fund --loglevel=error; fi
	@$(KEK) migrate --noinput -v 0
	@# Collect only when static sources changed, so that a second setup changes nothing.
	@if [ ! -f $(STATIC_DIR)/staticfiles.json ] || [ -n "$$(find uv.lock package-lock.json \
		kekmonitor/settings.py $(APP_STATIC_DIRS) -newer $(STATIC_DIR)/staticfiles.json \
		-print -quit 2>/dev/null)" ]; then $(KEK) collectstatic --noinput -v 0; fi
	@# Babel instead of GNU gettext: no Debian package needed; skips up-to-date .mo files.
	@$(VENV)/bin/python scripts/compile_messages.py
	@$(KEK) import-document data/kek-2030/massnahmenkonzept.txt --plan kek-2030 --if-new
	@# A database from before search index upkeep (search migration 0005) has an empty index.
	@$(KEK) rebuild-search-index --missing -v 0
	@# The open-data files (a change rebuilds them; this builds them for a database without).
	@$(KEK) build-downloads -v 0
	@# The 30 Gemeinden with boundaries, population and density (a second run changes nothing).
	@$(KEK) indicators load-municipalities data/landkreis-leipzig/gemeinden.geojson --plan kek-2030

# The links printed (and those in e-mails) point at the address served, unless set.
run: export KEK_BASE_URL ?= http://$(BIND)
run: setup
	@$(KEK) demo-accounts
	@$(KEK) demo-monitoring
	$(KEK) serve --bind $(BIND)

system-packages:
	@scripts/install-system-packages.sh

test: system-packages setup
	$(RUFF) check .
	$(RUFF) format --check .
	$(MYPY) .
	$(KEK) makemigrations --check --dry-run
	DATABASE_URL= scripts/run-tests.sh
	scripts/with-postgres.sh scripts/run-tests.sh

bench: setup
	@scripts/install-system-packages.sh postgresql wrk
	$(VENV)/bin/python benchmarks/run.py

lint:
	$(RUFF) check .
	$(RUFF) format --check .
	$(MYPY) .

format:
	$(RUFF) check --fix .
	$(RUFF) format .
