# Two commands do all the set-up on a fresh machine (Python 3.11 + pip):
#   make run    create/reuse .venv, install, start the dashboard on the bundled data
#   make test   create/reuse .venv, install, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: run test test-fast bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	touch $(STAMP)

# The dashboard on the bundled data (GEO_DATASET=/path/to/folder for another dataset).
run: $(STAMP)
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Quick local run: fewer Hypothesis examples, no browser or slow tests (CI runs `make test`).
test-fast: $(STAMP)
	GEO_TESTS=fast $(PY) -m pytest -q -m "not slow and not browser" $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.gazetteer_bench
	$(PY) -m benchmarks.dashboard_bench
	$(PY) -m benchmarks.render_bench
	$(PY) -m benchmarks.fuzz_loaders --examples 500
	$(PY) -m benchmarks.idle_start

# The README's pictures (docs/img/): the briefing map, and the dashboard in Debian's chromium.
.PHONY: docs-images
docs-images: $(STAMP)
	PYTHONPATH=. $(PY) docs/make_images.py

lint: $(STAMP)
	$(VENV)/bin/ruff check geo ui tests benchmarks dashboard.py
	$(VENV)/bin/mypy geo

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
