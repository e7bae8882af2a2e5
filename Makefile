# dtforum — every set-up step lives here so that a fresh clone needs only `make build` / `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON   ?= python3
UV_VERSION := 0.13.8
TOOLS    := .tools
UV       := $(TOOLS)/bin/uv
VENV     := .venv
PY       := $(VENV)/bin/python
MANAGE   := $(PY) manage.py
EDITION  ?= 2024
PORT     ?= 8000
PG_URL   ?= postgres://postgres@127.0.0.1:5432/dtforum
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

# The raw statistics snapshot is read in place, never copied (see README, "Data").
DTFORUM_DATA_DIR ?= $(abspath ../shared/data/raw)
export DTFORUM_DATA_DIR
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never

# Debian packages the product needs: Pango for WeasyPrint PDFs, fonts with Arabic glyphs,
# gettext for translations, PostgreSQL/Redis clients for the service checks.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core \
                gettext poppler-utils postgresql-client redis-tools

.PHONY: help install sysdeps sysdeps-test apt-install build ingest edition report serve demo bench bench-web test test-sqlite test-postgres services-check \
        lint clean

help:
	@echo "make build   install, migrate the SQLite database, ingest ../shared/data/raw, compute edition $(EDITION), write out/$(EDITION)/"
	@echo "make test    install, then run the whole test suite on SQLite and on PostgreSQL"
	@echo "make serve   serve the results on http://127.0.0.1:$(PORT)/ (PORT=...)"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet
	@touch $@

# Browser tests drive Debian's chromium through Playwright (no browser download).
TEST_DEB_PACKAGES := chromium

sysdeps:
	@$(MAKE) --no-print-directory apt-install PKGS="$(DEB_PACKAGES)"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory apt-install PKGS="nodejs npm"

sysdeps-test:
	@$(MAKE) --no-print-directory apt-install PKGS="$(TEST_DEB_PACKAGES)"

apt-install:
	@missing=$$(for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "error: need root (apt-get) to install: $$missing" >&2; exit 1; fi; \
	  (apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $$missing >/dev/null)) \
	   || { echo "error: apt-get could not install: $$missing" >&2; exit 1; }; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# .mo catalogs are built from the committed .po files, never committed themselves.
$(VENV)/.messages: $(VENV)/.synced $(wildcard dtforum/locale/*/LC_MESSAGES/*.po) \
                   $(wildcard dtforum/*/locale/*/LC_MESSAGES/*.po) $(wildcard dtforum/*/*_locale/*/LC_MESSAGES/*.po)
	$(MANAGE) compilemessages -v0 --ignore=.venv --ignore=.tools --ignore=node_modules
	@touch $@

install: sysdeps $(VENV)/.synced node_modules/.installed $(VENV)/.messages

build: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) build_edition $(EDITION)

serve: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) collectstatic --noinput -v0
	$(VENV)/bin/gunicorn dtforum.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

services-check: install
	$(PY) scripts/check_services.py --postgres "$(PG_URL)" --redis "$(REDIS_URL_TEST)"

# Both runs always run; the target fails if either failed.
test: install sysdeps-test services-check
	@rc=0; \
	$(MAKE) --no-print-directory test-sqlite || rc=1; \
	$(MAKE) --no-print-directory test-postgres || rc=1; \
	if [ $$rc != 0 ]; then echo "error: the test suite failed (see above: SQLite and PostgreSQL runs)" >&2; fi; \
	exit $$rc

test-sqlite:
	@echo "== test suite on SQLite"
	DATABASE_URL="sqlite:///$(abspath var/test.sqlite3)" $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL ($(PG_URL))"
	DATABASE_URL="$(PG_URL)" REDIS_URL="$(REDIS_URL_TEST)" $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

demo: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_demo

bench: install
	$(PY) bench/bench_uncertainty.py

bench-web: install services-check
	$(PY) bench/bench_web.py

lint: install
	$(VENV)/bin/ruff check compindex dtforum tests

clean:
	rm -rf out var .pytest_cache
