# IOC GIS: the two commands are `make demo` and `make test`.
PORT ?= 8000
PY := .venv/bin/python
SETUP := scripts/setup.sh

.PHONY: demo test setup stop serve lint bench-data

setup:
	@$(SETUP)

demo: setup
	@$(PY) manage.py load_demo --if-empty
	@$(PY) manage.py load_demo_rasters --if-empty
	@$(PY) manage.py evaluate_alerts
	@echo "IOC GIS portal: http://127.0.0.1:$(PORT)/   OGC API: http://127.0.0.1:$(PORT)/ogc   (Ctrl-C to stop)"
	@mkdir -p var/run && exec .venv/bin/gunicorn gis_server.wsgi -b 127.0.0.1:$(PORT) \
	  --workers 2 --timeout 120 --pid var/run/gunicorn.pid --no-control-socket --access-logfile -

test:
	@WITH_TEST_CLIENTS=1 $(SETUP)
	@.venv/bin/python -m pytest -p no:cacheprovider --create-db $(PYTEST_ARGS)

stop:
	@if [ -f var/run/gunicorn.pid ]; then kill $$(cat var/run/gunicorn.pid) 2>/dev/null && echo "[server] stopped" || true; rm -f var/run/gunicorn.pid; fi
	@if [ -z "$$DATABASE_URL" ]; then scripts/pg.sh stop; fi

lint:
	@test -x .venv/bin/lint-imports || $(SETUP)
	@.venv/bin/ruff check .
	@.venv/bin/lint-imports
