# Neuvokas: `make run` sets everything up and runs the intranet; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
# Python 3.12: on PATH, or installed through pyenv beside another default.
PY312 := $(shell for c in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	  $$c -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$c; break; }; done)
UV := .tools/bin/uv
PY := .venv/bin/python
export DJANGO_SETTINGS_MODULE ?= intranet.settings.dev
export UV_PYTHON := $(PY312)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help setup run test test-fast lint messages browser-deps voikko-deps oidc-deps clean

help:
	@echo "make run    set up (venv, database, migrations, translations, demo data) and run web + worker + beat"
	@echo "make test   run the whole test suite"

$(UV):
	@test -n "$(PY312)" || { echo "error: Python 3.12 not found (python3.12 on PATH or pyenv)"; exit 1; }
	$(PY312) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --all-groups
	@touch $@

setup: .venv/.synced voikko-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v 0
	$(PY) manage.py migrate --no-input -v 1
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py import_catalogue demo/catalogue.json
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_content
	@# Documents indexed by another analyser (before libvoikko was installed) are redone.
	$(PY) manage.py rebuild_search_index --stale

run: setup
	@echo "Neuvokas: http://127.0.0.1:8000/  (Ctrl-C stops web, worker and beat)"
	@# However the processes end (Ctrl-C, a crash), stop the embedded PostgreSQL after them.
	@trap '$(PY) -m intranet.database stop' EXIT; .venv/bin/honcho -f Procfile.dev start

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@test -x /usr/bin/chromium || { echo "error: /usr/bin/chromium missing; browser tests cannot run"; exit 1; }

# The browser tests sign in through a real OpenID Connect provider (panva's oidc-provider
# under Node, tests/oidc_provider/): its packages from the npm registry, as locked.
oidc-deps: tests/oidc_provider/node_modules/.package-lock.json

tests/oidc_provider/node_modules/.package-lock.json: tests/oidc_provider/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node 20+) missing; the OpenID Connect browser tests cannot run"; exit 1; }
	cd tests/oidc_provider && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Finnish search analyses words with Debian's libvoikko and its Finnish dictionary. Where
# they cannot be installed (no root, no apt), search still works, degraded to Snowball.
voikko-deps:
	@lib=no; dict=no; \
	ldconfig -p 2>/dev/null | grep -q 'libvoikko\.so\.1' && lib=yes; \
	[ -e /usr/lib/x86_64-linux-gnu/libvoikko.so.1 ] && lib=yes; \
	{ [ -d /usr/lib/voikko ] || [ -d /usr/share/voikko ]; } && dict=yes; \
	if [ $$lib = no ] || [ $$dict = no ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's libvoikko1 and voikko-fi for Finnish search"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvoikko1 voikko-fi >/dev/null; } \
	      || echo "warning: could not install libvoikko1/voikko-fi; Finnish search runs degraded (Snowball stemming)"; \
	  else \
	    echo "warning: libvoikko1/voikko-fi missing and cannot be installed here; Finnish search runs degraded (Snowball stemming)"; \
	  fi; \
	fi

test: .venv/.synced browser-deps voikko-deps oidc-deps lint
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v 0
	DJANGO_SETTINGS_MODULE=intranet.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	@# mypy imports the settings: a dummy DATABASE_URL keeps it from starting the embedded
	@# PostgreSQL (nothing connects at import, so no server needs to be up).
	DATABASE_URL=postgres://mypy@127.0.0.1:1/none DJANGO_SETTINGS_MODULE=intranet.settings.test .venv/bin/mypy
	.venv/bin/lint-imports --no-logo --no-cache
	DJANGO_SETTINGS_MODULE=intranet.settings.test $(PY) manage.py makemigrations --check --dry-run -v 1

messages: .venv/.synced
	$(PY) manage.py makemessages -l sv -l en --ignore=.venv --ignore=.tools --ignore=var \
	  --ignore=staticfiles --ignore=node_modules --no-location --no-obsolete
	msgfmt --statistics -o /dev/null locale/sv/LC_MESSAGES/django.po
	msgfmt --statistics -o /dev/null locale/en/LC_MESSAGES/django.po

clean:
	rm -rf .venv .tools var staticfiles
