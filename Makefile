# Two commands from a fresh clone: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint fuzz reliability bench benchmark messages typos clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Everything the project writes lives under var/ (settings create nothing at import).
var:
	mkdir -p var

# Web server and a real Celery worker (with beat for the periodic jobs) on SQLite and the
# filesystem broker under var/. Ctrl-C stops both.
run: install | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_knowledge_base --if-changed
	$(PY) manage.py ensure_admin
	@echo "Counter screen: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/   API docs: http://$(HOST):$(PORT)/api/v1/docs/"
	@# The web server runs in the foreground so Ctrl-C reaches it (a non-interactive shell
	@# makes background jobs ignore SIGINT); on its exit the trap stops the worker too.
	@$(VENV)/bin/celery -A pharmacy_site worker --beat --loglevel=info --concurrency=2 \
		--schedule var/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: install | var
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

# The API against its own OpenAPI schema: 1,000 generated requests per operation, with the
# rate limit lifted so they reach the logic (make test runs a few per operation).
fuzz: install | var
	FUZZ_EXAMPLES=1000 API_THROTTLE_RATE=1000000/minute \
		$(VENV)/bin/pytest tests/api/test_contract_fuzzing.py -p no:logging -q

# Bad input, faults and security (docs/reliability.md), the property-based tests at 2,000
# examples each.
reliability: install | var
	PROPERTY_EXAMPLES=2000 API_THROTTLE_RATE=1000000/minute $(VENV)/bin/pytest -q \
		--hypothesis-show-statistics \
		tests/engine/test_property_based.py tests/api/test_property_based_api.py \
		tests/api/test_malformed_requests.py tests/project \
		tests/handouts/test_handout_worker_crash.py tests/handouts/test_handout_two_workers.py \
		tests/knowledge/test_reload_during_screenings.py

# One run of every figure beside its floor, reported under var/bench/ (docs/benchmark.md).
# Uses the local PostgreSQL and Redis when they answer; wrk when installed.
bench: install | var
	$(PY) -m tests.bench

benchmark: bench

# After changing translatable strings: extract, then translate the .po and compile it
# with polib (msgfmt is not on a fresh machine); tests fail while the .mo lags the .po.
# Every language with a folder under screening/locale/ is refreshed; NEW_LANGUAGE=xx starts a new one.
messages: install
	$(PY) manage.py makemessages $(if $(NEW_LANGUAGE),-l $(NEW_LANGUAGE),$(foreach d,$(wildcard screening/locale/*/LC_MESSAGES),-l $(word 3,$(subst /, ,$(d))))) \
		--no-location --no-obsolete -i var -i tests -i .venv
	$(PY) -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('screening/locale/*/LC_MESSAGES/django.po')]"

# The misspelling table of docs/misspellings.md.
typos: install
	$(PY) -m tests.engine.typo_report

clean:
	rm -rf var
