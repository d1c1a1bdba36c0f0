# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000
# pytest-xdist workers; "auto" uses every core.
JOBS ?= auto

.PHONY: run test install install-dev lint migrate demo check

$(VENV)/.base: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements-dev.txt
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py cargar_demo

run: demo
	@echo "Sirviendo en http://$(HOST)/ (administración en http://$(HOST)/admin/)"
	$(PY) manage.py runserver $(HOST)

test: install-dev
	$(PY) -m pytest -n $(JOBS) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

check: lint test

# Security and reliability tests, then their table (README, "Seguridad y confiabilidad").
# The concurrency part needs PostgreSQL: DATABASE_URL=postgres://... make seguridad-informe
.PHONY: seguridad-informe
seguridad-informe: install-dev
	rm -rf test-artifacts/seguridad
	$(PY) -m pytest -q -m seguridad -n $(JOBS) -p no:logging $(PYTEST_ARGS)
	$(PY) manage.py informe_seguridad
