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

# app.py serves dashboard.py and fills its caches while the server starts (warm start).
# Bytecode is compiled first (only what changed), even where PYTHONDONTWRITEBYTECODE
# is set: the server then does not compile the geo modules at every start (~0.06 s).
run: $(STAMP)
	$(PY) -m compileall -q geo ui pages app.py
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

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

lint: $(STAMP)
	$(VENV)/bin/ruff check geo tests benchmarks ui dashboard.py app.py pages
	$(VENV)/bin/mypy geo

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
