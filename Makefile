# Piani di Zona – the commands a newcomer needs. `make run` starts the demo, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The same commands docker-compose.yml runs.
GUNICORN_CMD := gunicorn pianizona.wsgi:application --bind 0.0.0.0:8000 --workers 3 --timeout 60 --access-logfile -
WORKER_CMD := celery -A pianizona worker --loglevel=INFO --concurrency=2
BEAT_CMD := celery -A pianizona beat --loglevel=INFO --schedule=/tmp/celerybeat-schedule

.PHONY: run test lint format check bench serve worker beat migrate messages clean venv drills drill-backup drill-concurrency drill-load drill-faults drill-security

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Serve Python 3.11 ($(PYTHON) non trovato)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

## run: the demo on http://$(HOST):$(PORT) with embedded SQLite, demo data and a Celery worker beside the web server (Ctrl+C stops both)
run: $(STAMP)
	@mkdir -p var
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $(PY) manage.py migrate --noinput
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "Piani di Zona: http://$(HOST):$(PORT)/  (Ctrl+C per fermare il server web e il worker)"
	env -u DATABASE_URL -u REDIS_URL CELERY_BROKER_URL=filesystem:// HOST=$(HOST) PORT=$(PORT) \
	  $(PY) manage.py demo

## test: the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff, and the architecture's import contracts (pyproject.toml, [tool.importlinter])
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## check: migrations in step with models, and the production settings pass check --deploy
check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=pianizona.settings.production \
	  SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')} \
	  ALLOWED_HOSTS=pianizona.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

## bench: figures per page on the --scale full dataset (built once and cached in var/), kept in docs/PROVE.md
bench: $(STAMP)
	PIANIZONA_FIGURE=1 PIANIZONA_COMANDO="make bench" $(PY) -m tests.bench $(BENCH_ARGS)

## drill-backup: back up the demo (PostgreSQL + files), restore into a fresh database and folder, compare; on DATABASE_URL's server or 127.0.0.1:5432
drill-backup: $(STAMP)
	PIANIZONA_FIGURE=1 $(PY) -m tests.drills.salvataggio

## drill-concurrency: 20 users save the same co-financing table at once through the page: one save per revision, nothing lost (PostgreSQL)
drill-concurrency: $(STAMP)
	PIANIZONA_FIGURE=1 PIANIZONA_REQUIRE_STACK=1 \
	  DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pianizona_drill} \
	  $(BIN)/pytest tests/drills/test_concorrenza_budget.py -p no:cacheprovider -q -s

## drill-load: locust on gunicorn + PostgreSQL + Redis + Celery with the --scale full data (LOAD_ARGS="--durata 60 --utenti 20"); fails on any error, a p95 or the heaviest page / bare view ratio beyond its limit
drill-load: $(STAMP)
	$(PY) -m pip install --quiet -c requirements.lock -e ".[carico]"
	PIANIZONA_FIGURE=1 PIANIZONA_COMANDO="make drill-load" $(PY) -m tests.drills.carico $(LOAD_ARGS)

## drill-faults: worker SIGKILLed during a plan PDF and a recalculation, Redis and PostgreSQL restarted under load, on a private PostgreSQL cluster and Redis: every job ends once, every save once or refused with a 503 (needs PostgreSQL server binaries and redis-server)
drill-faults: $(STAMP)
	PIANIZONA_FIGURE=1 PIANIZONA_COMANDO="make drill-faults" $(PY) -m tests.drills.guasti $(FAULTS_ARGS)

## drill-security: ambito B's markers never seen by A's users (every link, URL, API, export, PDF), 100+ wrong passwords throttled, Hypothesis on every import (400 examples), CSRF and security headers; SQLite
drill-security: $(STAMP)
	env -u DATABASE_URL PIANIZONA_FIGURE=1 PIANIZONA_COMANDO="make drill-security" HYPOTHESIS_PROFILE=drill \
	  $(BIN)/pytest tests/drills/sicurezza -p no:cacheprovider -q

## drills: every drill, before a release (the load drill takes a few minutes more)
drills: drill-security drill-concurrency drill-backup drill-faults drill-load

serve: $(STAMP)
	$(BIN)/$(GUNICORN_CMD)

worker: $(STAMP)
	$(BIN)/$(WORKER_CMD)

beat: $(STAMP)
	$(BIN)/$(BEAT_CMD)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

## messages: compile pianizona/locale (Italian for django-import-export's untranslated texts; needs gettext)
messages: $(STAMP)
	cd pianizona && ../$(PY) ../manage.py compilemessages --locale it

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
