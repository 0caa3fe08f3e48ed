# landrelease: every command a newcomer or CI needs. `make help` lists them.
#
# The set-up is idempotent: each step checks what exists and does only what is missing.
# Without DATABASE_URL, a project-local PostGIS cluster lives in var/ on port $(PGPORT).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON      ?= python3.11
VENV        := .venv
BIN         := $(VENV)/bin
PGBIN       ?= /usr/lib/postgresql/15/bin
PGPORT      ?= 5544
HOST        ?= 127.0.0.1
PORT        ?= 8000
SYSTEM_PACKAGES := postgresql-15 postgresql-15-postgis-3 postgresql-contrib gdal-bin libgdal32 \
                   libgeos-c1v5 libproj25 gettext

# Root runs the cluster as the postgres system user (initdb refuses root); others run it as themselves.
ifeq ($(shell id -u),0)
  SUDO :=
  AS_PG := runuser -u postgres --
  # The postgres user must reach the checkout; under a private home (/root) it cannot, and the
  # cluster then lives in postgres's own home, one per checkout.
  PG_REACHES_CHECKOUT := $(shell id -u postgres >/dev/null 2>&1 && runuser -u postgres -- test -x $(CURDIR) && echo yes)
else
  SUDO := sudo
  AS_PG :=
  PG_REACHES_CHECKOUT := yes
endif
PGHOME      := $(if $(PG_REACHES_CHECKOUT),$(CURDIR)/var,/var/lib/postgresql/landrelease-$(shell echo $(CURDIR) | md5sum | cut -c1-8))
PGDATA      := $(PGHOME)/pgdata
PGSOCK      := $(PGHOME)/run

export DATABASE_URL ?= postgres://postgres@127.0.0.1:$(PGPORT)/landrelease
LOCAL_DB := $(if $(filter postgres://postgres@127.0.0.1:$(PGPORT)/landrelease,$(DATABASE_URL)),yes,)

.PHONY: help setup system-packages venv assets messages db migrate demo demo-data serve test lint bench stop clean backup restore

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

system-packages: ## install PostgreSQL+PostGIS, GDAL, gettext and Node.js/npm from Debian if missing
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@# npm may come with a Node.js from elsewhere (NodeSource bundles it): check the command.
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/.installed ## create .venv from pyproject.toml

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: venv node_modules/.installed ## install the map's front-end assets (Leaflet & co.) from npm
	$(BIN)/python manage.py collect_map_assets

# The .mo catalogues are build output (.gitignore): compiled here from app/locale/*/django.po.
messages: venv ## compile the Vietnamese translations (app/locale) with GNU gettext
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'node_modules' --ignore 'var' -v 0

setup: system-packages venv assets messages db migrate ## everything `demo` and `test` need

db: ## start the project-local PostGIS cluster (skipped when DATABASE_URL points elsewhere)
ifeq ($(LOCAL_DB),yes)
	@mkdir -p $(PGHOME)
	@if [ -n "$(AS_PG)" ]; then chown postgres: $(PGHOME); fi
	@if [ ! -f $(PGDATA)/PG_VERSION ]; then \
	  $(AS_PG) $(PGBIN)/initdb -D $(PGDATA) -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null && \
	  echo "Created a PostgreSQL cluster in $(PGDATA)"; \
	fi
	@$(AS_PG) mkdir -p $(PGSOCK)
	@if ! $(AS_PG) $(PGBIN)/pg_ctl -D $(PGDATA) status >/dev/null 2>&1; then \
	  $(AS_PG) $(PGBIN)/pg_ctl -D $(PGDATA) -l $(PGHOME)/postgres.log -w \
	    -o "-p $(PGPORT) -k $(PGSOCK) -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=512MB -c work_mem=64MB" start >/dev/null && \
	  echo "PostGIS listening on 127.0.0.1:$(PGPORT)"; \
	fi
	@$(PGBIN)/psql -h 127.0.0.1 -p $(PGPORT) -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='landrelease'" | grep -q 1 || \
	  $(PGBIN)/createdb -h 127.0.0.1 -p $(PGPORT) -U postgres landrelease
	@$(PGBIN)/psql -h 127.0.0.1 -p $(PGPORT) -U postgres -d landrelease -qc "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true
else
	@echo "Using DATABASE_URL from the environment; no local cluster started."
endif

migrate: venv db ## apply migrations and load the admin boundaries
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_admin_units

demo-data: migrate ## load the synthetic demo data set (seeded; reloads only when missing)
	$(BIN)/python manage.py load_demo --if-empty

demo: setup demo-data ## set everything up, load the demo data and serve on $(HOST):$(PORT)
	@echo ""
	@echo "landrelease is serving on http://$(HOST):$(PORT)/"
	@echo "  Province map:   http://$(HOST):$(PORT)/maps/coverage/?year=2023"
	@echo "  District map:   http://$(HOST):$(PORT)/maps/districts/464/?year=2023"
	@echo "  API docs:       http://$(HOST):$(PORT)/api/v1/docs/"
	@echo "  Release stats:  http://$(HOST):$(PORT)/api/v1/stats/release/?as_of=2023-12-31&by=district"
	@echo "  Clearance:      http://$(HOST):$(PORT)/api/v1/stats/clearance/?year=2023&by=district"
	@echo "  Progress:       http://$(HOST):$(PORT)/api/v1/stats/progress/?from=2016&to=2025"
	@echo "  Uploads:        http://$(HOST):$(PORT)/uploads/  (checked by the upload worker started beside the server)"
	@echo "  Review:         http://$(HOST):$(PORT)/review/  (analysts: the batches waiting for approval)"
	@echo "  Records:        http://$(HOST):$(PORT)/records/  (find, filter and open records; targets and organisations)"
	@echo "  Profile:        http://$(HOST):$(PORT)/accounts/profile/  (your role, language and API tokens)"
	@echo ""
	@echo "Sign in at http://$(HOST):$(PORT)/accounts/login/ as one of these users (API tokens: on the"
	@echo "profile page, or POST /api/v1/auth/token/ with username and password):"
	@$(BIN)/python manage.py create_demo_users
	@echo ""
	$(BIN)/python manage.py upload_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

serve: ## serve without re-running set-up, with the upload worker beside the server
	$(BIN)/python manage.py upload_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup ## set up, then run lint and the whole test suite against real PostGIS
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: venv ## ruff and the import contract
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup ## benchmarks: stats latency (demo and 10x), map build, upload throughput
	$(BIN)/python tests/benchmarks/run.py

stop: ## stop the project-local PostgreSQL cluster
	@if [ -f $(PGDATA)/PG_VERSION ]; then $(AS_PG) $(PGBIN)/pg_ctl -D $(PGDATA) stop -m fast || true; fi

clean: stop ## remove var/ (the local database) and .venv
	rm -rf var $(PGHOME) $(VENV) node_modules app/maps/static/maps/vendor

# Backups (manage.py backup/restore): the database and UPLOAD_ROOT in one file, for DATABASE_URL.
backup: venv ## back up the database and the upload files into var/backups/ (or OUT=file.tar)
	@out="$(OUT)"; if [ -z "$$out" ]; then \
	  mkdir -p -m 700 var/backups && out=var/backups/landrelease-$$(date +%Y%m%d-%H%M%S).tar; \
	fi; \
	$(BIN)/python manage.py backup --out "$$out"

restore: venv ## restore FILE=backup.tar into an empty database and UPLOAD_ROOT
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=var/backups/landrelease-....tar"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"
