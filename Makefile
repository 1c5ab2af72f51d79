# Flashpoint: two commands for a fresh machine — `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
CORPUS ?= data/corpus
# The install is redone only when these files change (a second `make` reinstalls nothing).
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | sha256sum | cut -c1-12)

.PHONY: help setup run test lint typecheck unit e2e eval bench corpus screenshots clean train

help:
	@echo "make run    set up, build the demo corpus if missing, serve http://localhost:$(PORT)"
	@echo "make test   set up, then lint, type check and the whole test suite (browser included)"
	@echo "make eval   precision/recall of entities and events against the gold labels"
	@echo "make bench  speed benchmarks (benchmarks/)"
	@echo "make train  refit the learned event filter on the dev gold (data/models/, needs ../shared)"
	@echo "make screenshots  refresh the README's pictures of every page (docs/screenshots/)"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) scripts/check_python.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,scale]'
	@$(PY) scripts/ensure_model.py
	@bash scripts/ensure_chromium.sh
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

$(CORPUS)/manifest.json: | $(STAMP)
	$(VENV)/bin/flashpoint ingest data/sample/*/ --corpus $(CORPUS)  || [ $$? -eq 1 ]

corpus: $(CORPUS)/manifest.json

run: setup corpus
	FLASHPOINT_CORPUS=$(CORPUS) $(VENV)/bin/streamlit run app.py \
		--server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# The learned event filter (flashpoint/nlp/events/learned.py), fitted on the development gold
# only (never the sealed test set); deterministic, so a rerun rewrites the same file.
# `python -m flashpoint.eval.learning cv` prints its cross-validated scores.
train: setup
	$(PY) -m flashpoint.eval.learning train --out data/models/event_filter.json

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

unit: setup
	$(VENV)/bin/pytest -m "not e2e"

e2e: setup
	$(VENV)/bin/pytest -m e2e

test: lint typecheck
	$(VENV)/bin/pytest

# The README's pictures: every page of the demo corpus in the browser, written to
# docs/screenshots/ (tests write theirs to a temporary folder, so `make test` changes no file).
screenshots: setup
	FLASHPOINT_README_SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest -m e2e \
		tests/e2e/test_dashboard.py -k test_every_page_renders_its_charts

eval: setup
	$(PY) -m flashpoint.eval --baseline tests/data/eval_baseline.json

# The scale benchmark goes last: its final line is the one-line JSON summary.
bench: setup
	$(PY) benchmarks/run.py
	$(PY) benchmarks/scale.py --ray

clean:
	rm -rf $(VENV) $(CORPUS) .pytest_cache .mypy_cache .ruff_cache
