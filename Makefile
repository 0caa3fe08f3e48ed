# landrelease: every command a newcomer or CI needs. `make help` lists them.
#
# The set-up is idempotent: each step checks what exists and does only what is missing.
# Without DATABASE_URL, project-local PostGIS clusters live in var/: see "Local clusters" below.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON      ?= python3.11
VENV        := .venv
BIN         := $(VENV)/bin
PGBIN       ?= /usr/lib/postgresql/15/bin
PGPORT      ?= 5544
PGTESTPORT  ?= $(shell expr $(PGPORT) + 1)
HOST        ?= 127.0.0.1
PORT        ?= 8000
# chromium: tests/deploy loads the pages in it (chromium-driver, for WebDriver tools, beside it).
# The report's PDF (app/reports, WeasyPrint) lays text out with pango, in DejaVu Sans, a font that
# carries Vietnamese (the report's stylesheet and its charts name it).
SYSTEM_PACKAGES := postgresql-15 postgresql-15-postgis-3 postgresql-contrib gdal-bin libgdal32 \
                   libgeos-c1v5 libproj25 gettext chromium chromium-driver \
                   libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

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
PGTESTDATA  := $(PGHOME)/pgtest
PGSOCK      := $(PGHOME)/run

# Local clusters. Two, because the test suite and the demo want opposite things of PostgreSQL:
# - $(PGDATA) on $(PGPORT), for demo, serve, migrate and bench: PostgreSQL's durable defaults
#   (fsync on), so a crash of the machine loses no committed upload or review;
# - $(PGTESTDATA) on $(PGTESTPORT), for `make test` only: fsync, synchronous_commit and
#   full_page_writes off, several times faster for a suite that creates and drops its database
#   on every run and has nothing worth keeping after a crash.
# Flipping one cluster's fsync before and after the tests would leave it off for good whenever a
# run is interrupted, with the demo data in it; two clusters cannot mix the two up.
# Both ask for a password (scram-sha-256), generated at the first set-up into $(PGPASSWORD_FILE),
# readable by its owner only, and put into the DATABASE_URL exported below (read when a recipe
# runs, so the file may be made by an earlier step of the same `make`). It lives beside the
# clusters it opens, so that a new checkout at the path of an old one finds both or neither.
PGPASSWORD_FILE := $(PGHOME)/pgpassword
ifeq ($(origin DATABASE_URL),undefined)
  LOCAL_DB := yes
  export DATABASE_URL = postgres://postgres:$(file <$(PGPASSWORD_FILE))@127.0.0.1:$(PGPORT)/landrelease
  test: export DATABASE_URL = postgres://postgres:$(file <$(PGPASSWORD_FILE))@127.0.0.1:$(PGTESTPORT)/landrelease
endif

.PHONY: help setup system-packages venv assets messages static db test-db migrate demo demo-data serve test lint bench bench-scale stop clean backup restore

# The descriptions name the make variables they use ($(HOST), $(PORT)...): printed with their values.
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}' | \
	  sed -e 's|\$$(HOST)|$(HOST)|g; s|\$$(PORT)|$(PORT)|g; s|\$$(PGPORT)|$(PGPORT)|g; s|\$$(PGTESTPORT)|$(PGTESTPORT)|g'

system-packages: ## install PostgreSQL+PostGIS, GDAL, gettext, Chromium, pango and fonts (the report's PDF) and Node.js/npm from Debian if missing
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

assets: venv node_modules/.installed ## install the front-end assets (Leaflet & co., Chart.js) from npm
	$(BIN)/python manage.py collect_map_assets

# The .mo catalogues are build output (.gitignore): compiled here from app/locale/*/django.po.
messages: venv ## compile the Vietnamese translations (app/locale) with GNU gettext
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'node_modules' --ignore 'var' -v 0

# Static files into STATIC_ROOT (var/static): hashed and compressed with DEBUG=0 (app/settings.py).
static: venv assets ## collect the static files that gunicorn serves (whitenoise)
	$(BIN)/python manage.py collectstatic --no-input -v 0

setup: system-packages venv assets messages static db migrate ## everything `demo` needs

$(PGPASSWORD_FILE):
	@mkdir -p $(@D)
	@umask 077 && head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > $@
	@echo "Generated the local clusters' password into $@ (readable by you only)"

# $(call cluster,DATA DIRECTORY,PORT,LOG FILE,EXTRA SERVER OPTIONS): create the cluster once, start
# it if it is not running, and make it ask for the password. initdb makes it with trust; the
# password is then set through that trust and pg_hba.conf switched to scram-sha-256, the one path
# for a new cluster and for one an older Makefile made with trust. psql's \getenv keeps the
# password out of every command line.
define cluster
	@mkdir -p $(PGHOME)
	@if [ -n "$(AS_PG)" ]; then chown postgres: $(PGHOME); fi
	@if [ ! -f $(1)/PG_VERSION ]; then \
	  $(AS_PG) $(PGBIN)/initdb -D $(1) -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 && \
	  echo "Created a PostgreSQL cluster in $(1)"; \
	fi
	@$(AS_PG) mkdir -p $(PGSOCK)
	@if ! $(AS_PG) $(PGBIN)/pg_ctl -D $(1) status >/dev/null 2>&1; then \
	  $(AS_PG) $(PGBIN)/pg_ctl -D $(1) -l $(3) -w \
	    -o "-p $(2) -k $(PGSOCK) -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c work_mem=64MB $(4)" start >/dev/null && \
	  echo "PostGIS listening on 127.0.0.1:$(2)"; \
	fi
	@if grep -qE '^[^#].*[[:space:]]trust$$' $(1)/pg_hba.conf; then \
	  printf '%s\n' '\getenv password LANDRELEASE_PGPASSWORD' "ALTER ROLE postgres PASSWORD :'password';" | \
	    LANDRELEASE_PGPASSWORD="$$(cat $(PGPASSWORD_FILE))" $(PGBIN)/psql -h 127.0.0.1 -p $(2) -U postgres -d postgres -qX -v ON_ERROR_STOP=1 && \
	  $(AS_PG) sed -i -E 's/[[:space:]]trust$$/ scram-sha-256/' $(1)/pg_hba.conf && \
	  $(AS_PG) $(PGBIN)/pg_ctl -D $(1) reload >/dev/null && \
	  echo "The cluster on port $(2) now asks for the password in $(PGPASSWORD_FILE)"; \
	fi
	@$(PSQL) -p $(2) -d postgres -qXtAc "SELECT 1" >/dev/null 2>&1 || { \
	  echo "The cluster in $(1) refuses the password in $(PGPASSWORD_FILE): put back the file" \
	       "it was made with, or remove both (make clean) to start afresh." >&2; exit 1; }
endef
PSQL := PGPASSWORD="$$(cat $(PGPASSWORD_FILE))" $(PGBIN)/psql -h 127.0.0.1 -U postgres

ifeq ($(LOCAL_DB),yes)
db test-db: $(PGPASSWORD_FILE)
endif

db: ## start the local PostGIS cluster on $(PGPORT) (skipped when DATABASE_URL is set)
ifeq ($(LOCAL_DB),yes)
	$(call cluster,$(PGDATA),$(PGPORT),$(PGHOME)/postgres.log,)
	@$(PSQL) -p $(PGPORT) -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='landrelease'" | grep -q 1 || \
	  $(PSQL) -p $(PGPORT) -d postgres -qc "CREATE DATABASE landrelease"
	@$(PSQL) -p $(PGPORT) -d landrelease -qc "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true
else
	@echo "Using DATABASE_URL from the environment; no local cluster started."
endif

test-db: ## start the test suite's own cluster on $(PGTESTPORT), fsync off (skipped when DATABASE_URL is set)
ifeq ($(LOCAL_DB),yes)
	$(call cluster,$(PGTESTDATA),$(PGTESTPORT),$(PGHOME)/postgres-test.log,-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
else
	@echo "Using DATABASE_URL from the environment; no local cluster started."
endif

migrate: venv db ## apply migrations and load the admin boundaries
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_admin_units

demo-data: migrate ## load the synthetic demo data set (seeded; reloads only when missing)
	$(BIN)/python manage.py load_demo --if-empty

demo: setup demo-data ## set everything up, load the demo data and serve on http://$(HOST):$(PORT)/
	@echo ""
	@echo "landrelease is serving on http://$(HOST):$(PORT)/"
	@echo "  Dashboard:      http://$(HOST):$(PORT)/dashboard/  (where signed-in users land)"
	@echo "  Annual report:  http://$(HOST):$(PORT)/reports/annual/2023/  (?format=pdf or docx, ?lang=vi or en)"
	@echo "  Province map:   http://$(HOST):$(PORT)/maps/coverage/?year=2023"
	@echo "  District map:   http://$(HOST):$(PORT)/maps/districts/464/?year=2023"
	@echo "  API docs:       http://$(HOST):$(PORT)/api/v1/docs/"
	@echo "  Release stats:  http://$(HOST):$(PORT)/api/v1/stats/release/?as_of=2023-12-31&by=district"
	@echo "  Clearance:      http://$(HOST):$(PORT)/api/v1/stats/clearance/?year=2023&by=district"
	@echo "  Progress:       http://$(HOST):$(PORT)/api/v1/stats/progress/?from=2016&to=2025"
	@echo "  As Excel:       http://$(HOST):$(PORT)/api/v1/stats/release/?as_of=2023-12-31&by=district&format=xlsx"
	@echo "  OGC API (QGIS): http://$(HOST):$(PORT)/ogc/  (Add WFS / OGC API Features layer; user name and password)"
	@echo "  GeoPackage:     http://$(HOST):$(PORT)/ogc/collections/releases/items?f=gpkg&crs=EPSG:9212"
	@echo "  Raster (COG):   http://$(HOST):$(PORT)/api/v1/rasters/remaining.tif?as_of=2023-12-31&resolution=100"
	@echo "  Uploads:        http://$(HOST):$(PORT)/uploads/  (checked by the upload worker started beside the server)"
	@echo "  Review:         http://$(HOST):$(PORT)/review/  (analysts: the batches waiting for approval)"
	@echo "  Records:        http://$(HOST):$(PORT)/records/  (find, filter and open records; targets and organisations)"
	@echo "  Profile:        http://$(HOST):$(PORT)/accounts/profile/  (your role, language and API tokens)"
	@echo ""
	@echo "Sign in at http://$(HOST):$(PORT)/accounts/login/ as one of these users (API tokens: on the"
	@echo "profile page, or POST /api/v1/auth/token/ with username and password):"
	@$(BIN)/python manage.py create_demo_users
	@echo ""
	$(serve_with_worker)

# gunicorn (deploy/gunicorn.conf.py: GUNICORN_WORKERS, _THREADS, _TIMEOUT) and the upload worker
# beside it, supervised by a shell loop: restarted 2 s after it exits, however it exits (the pause
# keeps a worker that cannot start from spinning), and sent SIGTERM, on which it finishes the step
# it is in, when the server stops. Both run in the background, so this shell sees Ctrl-C or a
# SIGTERM to make (bash runs no trap while a foreground command runs) and passes it on to
# gunicorn; when gunicorn has ended, however it ended, the EXIT trap stops the loop, which stops
# the worker and waits for it. The exit status is gunicorn's.
define serve_with_worker
	@supervise() { \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker; exit 0' TERM; \
	  while true; do \
	    $(BIN)/python manage.py upload_worker & worker=$$!; \
	    wait $$worker; echo "The upload worker exited ($$?); restarting it in 2 s" >&2; sleep 2; \
	  done; \
	}; \
	supervise & supervisor=$$!; \
	trap 'kill -TERM $$supervisor 2>/dev/null; wait $$supervisor' EXIT; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind $(HOST):$(PORT) app.wsgi & server=$$!; \
	trap 'kill -TERM $$server 2>/dev/null' INT TERM; \
	wait $$server; status=$$?; \
	if kill -0 $$server 2>/dev/null; then wait $$server; status=$$?; fi; \
	exit $$status
endef

serve: ## serve with gunicorn and the supervised upload worker, without re-running set-up
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(serve_with_worker)

test: system-packages venv assets messages test-db ## set up, then run lint and the whole test suite against real PostGIS
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: venv ## ruff and the import contract
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# BENCH_ARGS passes options on: --skip load uploads, --runs 3, --port 8110 ... (--help).
bench: setup ## issue 9's targets at 1x and 10x, each endpoint beside its SQL (~15 min) -> docs/benchmarks.md
	$(BIN)/python tests/benchmarks/run.py $(BENCH_ARGS)

bench-scale: setup ## the targets at ~1 M releases: its database built once (~3 min; --rebuild), then 10-25 min
	$(BIN)/python tests/benchmarks/scale.py $(BENCH_ARGS)

stop: ## stop the project-local PostgreSQL clusters
	@for data in $(PGDATA) $(PGTESTDATA); do \
	  if [ -f $$data/PG_VERSION ]; then $(AS_PG) $(PGBIN)/pg_ctl -D $$data stop -m fast || true; fi; \
	done

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
