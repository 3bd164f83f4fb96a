# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE := league.settings

.PHONY: run test setup lint format bench messages worker clean-var

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 (or run make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)

# Start the whole product on embedded defaults (SQLite, file-system broker
# under var/): migrate, load the demo league, run the web server and a real
# Celery worker (with beat). Ctrl-C stops both.
run: export SITE_URL ?= http://$(ADDR)
run: setup
	@mkdir -p var
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input -v 0
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	@echo ""
	@echo "  AI Super League is starting at http://$(ADDR)/  (Ctrl-C stops the web server and the worker)"
	@echo "  System status: http://$(ADDR)/health/   Admin: http://$(ADDR)/admin/"
	@echo ""
	DEBUG=$${DEBUG:-true} $(PY) manage.py run_league $(ADDR)

# A worker on its own (for example on another machine): make worker QUEUES=evaluation
QUEUES ?= default,evaluation
worker: setup
	$(PY) -m celery -A league worker -Q $(QUEUES) -l info

# Every test: lint, format check, security lint (no high-severity finding),
# migrations check, then pytest (with the schemathesis pass, tests/test_api_schema.py).
test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r league teams submissions judging -lll
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run -v 0
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m tests.bench $(ARGS)

messages: setup
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans -l vi -l th -l id -l ms --ignore=.venv --ignore=var
	DEBUG=true $(PY) manage.py makemessages -d djangojs -l zh_Hans --ignore=.venv --ignore=var
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean-var:
	rm -rf var
