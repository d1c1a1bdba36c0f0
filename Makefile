# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000
# pytest-xdist workers; "auto" uses every core. Work stealing: a worker that runs out of tests takes
# half of another's queue, so one slow test does not leave a core idle at the end (conftest.py).
JOBS ?= auto

.PHONY: run test install install-dev lint migrate demo check capturas respaldo bench-tablero bench-pdf carga

$(VENV)/.base: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements-dev.txt
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# axe-core for the accessibility tests, from the npm registry at the version package-lock.json pins.
node_modules/.instalado: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Our corrections to Django's Spanish (locale/); msgfmt comes with gettext.
# The admin's JavaScript catalogue (its calendar, its counter of selected rows) has its own domain.
CATALOGOS := locale/es_MX/LC_MESSAGES/django.mo locale/es_MX/LC_MESSAGES/djangojs.mo
locale/es_MX/LC_MESSAGES/%.mo: locale/es_MX/LC_MESSAGES/%.po
	msgfmt --check -o $@ $<

install: $(VENV)/.base $(CATALOGOS)
install-dev: $(VENV)/.dev node_modules/.instalado $(CATALOGOS)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py cargar_demo

# The links in e-mails, notifications, PDFs and QR codes point at this same address (DJANGO_SITIO_URL).
run: demo
	@echo "Sirviendo en http://$(HOST)/ (administración en http://$(HOST)/admin/); enlaces de correos y PDF: http://$(HOST)"
	DJANGO_SITIO_URL=http://$(HOST) $(PY) manage.py runserver $(HOST)

test: install-dev
	$(PY) -m pytest -n $(JOBS) --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

check: lint test

# The browser tests again, saving a full-page screenshot of each page they visit for a person to look at
# (test-artifacts/capturas/<test>/); `make test` runs the same checks without drawing them.
capturas: install-dev
	rm -rf test-artifacts/capturas
	CAPTURAS=1 $(PY) -m pytest -n $(JOBS) --dist worksteal -m navegador $(PYTEST_ARGS)

# Database + stored files in one .tar.gz under DJANGO_RESPALDOS_DIR (docs/deploy.md).
respaldo: install
	$(PY) manage.py respaldar

# Board benchmark (README, "Tablero de la Contraloría"): SQLite and PostgreSQL, 1,000 and 125,000 items.
# Uses its own databases (var/bench_asm.sqlite3 and PostgreSQL bench_asm), never the test ones.
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432
bench-tablero: install
	$(PY) manage.py bench_tablero --motores sqlite,postgres --municipios 1,125 --postgres-url $(BENCH_POSTGRES)

# State-scale benchmark of the public side (README, "Escala estatal"): PostgreSQL escala_bench_1 and
# escala_bench_125 (dropped and generated again), gunicorn with 2 workers on each, wrk on 127.0.0.1.
.PHONY: bench-escala
bench-escala: install
	$(PY) -m herramientas.bench_escala --postgres-url $(BENCH_POSTGRES)

# Load test (README, "Producción"): gunicorn with 1 and then 4 workers on PostgreSQL (its own database
# carga_asm, dropped and generated again), locust with 50 users for 60 s each, only on 127.0.0.1.
CARGA_MUNICIPIOS ?= 10
carga: install-dev
	CARGA_POSTGRES=$(BENCH_POSTGRES) $(PY) -m herramientas.carga.correr --municipios $(CARGA_MUNICIPIOS)

# Times the PDF documents and checks memory stays flat over 100 issues (README, "Documentos PDF").
bench-pdf: install
	DJANGO_DEBUG=false DATABASE_URL=sqlite://:memory: $(PY) manage.py bench_pdf

# Security and reliability tests, then their table (README, "Seguridad y confiabilidad").
# The concurrency part needs PostgreSQL: DATABASE_URL=postgres://... make seguridad-informe
.PHONY: seguridad-informe
seguridad-informe: install-dev
	rm -rf test-artifacts/seguridad
	$(PY) -m pytest -q -m seguridad -n $(JOBS) -p no:logging $(PYTEST_ARGS)
	$(PY) manage.py informe_seguridad
